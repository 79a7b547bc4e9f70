"""Request hygiene shared by every view."""

from django.http import QueryDict


def _clean(query: QueryDict) -> QueryDict | None:
    if not any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists()):
        return None
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    cleaned._mutable = False
    return cleaned


class StripNulCharactersMiddleware:
    """Remove NUL characters from query strings and form posts.

    Nobody types one; PostgreSQL refuses them in text and JSON, so a stray one
    would otherwise turn a harmless request into a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cleaned = _clean(request.GET)
        if cleaned is not None:
            request.GET = cleaned
        if request.method == "POST":
            cleaned = _clean(request.POST)
            if cleaned is not None:
                request.POST = cleaned
        return self.get_response(request)
