from django.test import RequestFactory

from config.middleware import StripNulCharactersMiddleware


def _through(request):
    seen = {}

    def view(req):
        seen["GET"], seen["POST"] = req.GET.copy(), req.POST.copy()
        return "ok"

    StripNulCharactersMiddleware(view)(request)
    return seen


def test_it_strips_nul_characters_from_query_strings_and_posts():
    factory = RequestFactory()
    seen = _through(factory.post("/x/?q=caf%00e", {"title": "Jar\x00din", "k\x00": "v"}))
    assert seen["GET"]["q"] == "cafe"
    assert seen["POST"]["title"] == "Jardin"
    assert seen["POST"]["k"] == "v"


def test_it_leaves_clean_requests_alone():
    factory = RequestFactory()
    request = factory.get("/x/?q=café")
    original = request.GET
    _through(request)
    assert request.GET is original
