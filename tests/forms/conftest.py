import pytest

from tests import factories as f

WIZARD_PREFIX = "application_wizard"


@pytest.fixture
def empty_draft(db, call, organisation, applicant):
    """A draft nobody has filled in yet."""
    return f.make_draft(call=call, organisation=organisation, by=applicant, complete=False)


def step_url(application, step=None):
    from django.urls import reverse

    if step is None:
        return reverse("forms:wizard", args=[application.pk])
    return reverse("forms:wizard_step", args=[application.pk, step])


def post_step(client, application, step, data, goto=None, **client_kwargs):
    """POST a wizard step as its page does: with the application's current version unless `data` gives one
    (a page always carries the version it was loaded at; a POST without one saves nothing)."""
    from forms.models import Application

    payload = {f"{WIZARD_PREFIX}-current_step": step, **data}
    if "version" not in payload:
        payload["version"] = str(Application.objects.only("version").get(pk=application.pk).version)
    if goto:
        payload["wizard_goto_step"] = goto
    return client.post(step_url(application, step), payload, **client_kwargs)


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data
