"""More random and hostile input (hypothesis): checklist answers, call questions, attachments, summary and submit.

Completes tests/forms/test_fuzz.py, which never sends these. Same promises: never a server error,
a clear message for what is refused, and every value that was valid when typed is in the database.
"""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fonds.models import ChecklistItem
from forms.filetypes import sniff
from forms.models import Application, Attachment
from forms.services import call_form_configure, call_question_ensure

from .conftest import WIZARD_PREFIX
from .test_fuzz import HOSTILE, TEXT, assert_clear_errors, assert_in_language, expected_text, ticked

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

QUESTION_MAX = {"project": 200, "sustainability": 50}
JUSTIFICATION_MAX = 500


def _client(user):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- checklist answers and call questions


@pytest.fixture
def questioned(draft):
    """The draft's call asks a question on the project step and one on the sustainability step."""
    questions = {
        step: call_question_ensure(
            call=draft.call, label=f"Question {step}", step=step, max_length=QUESTION_MAX[step], required=False
        )
        for step in QUESTION_MAX
    }
    items = list(ChecklistItem.objects.filter(criterion__call=draft.call))
    assert items, "the call has a checklist"
    return draft, questions, items


CHECKBOX = st.one_of(st.sampled_from(["on", "", "0", "false", "False", "true", "1", "off", "\x00"]), TEXT)


@st.composite
def checklist_payload(draw, step: str, items, question):
    data = {}
    if step == "sustainability":
        for item in items:
            if draw(st.booleans()):
                data[f"sustainability-item_{item.pk}"] = draw(CHECKBOX)
            if draw(st.booleans()):
                data[f"sustainability-justification_{item.pk}"] = draw(
                    st.one_of(TEXT, st.text(min_size=490, max_size=510), st.just(" " * 600))
                )
        if draw(st.booleans()):
            data["sustainability-sustainability_plan"] = draw(TEXT)
    if draw(st.booleans()):
        data[f"{step}-question_{question.pk}"] = draw(
            st.one_of(TEXT, st.text(min_size=question.max_length - 2, max_size=question.max_length + 2))
        )
    if draw(st.booleans()):
        junk = draw(
            st.sampled_from(
                [
                    f"{step}-item_999999",
                    f"{step}-justification_abc",
                    f"{step}-question_0",
                    f"{step}-question_-1",
                    f"{step}-item_",
                    "question_1",
                ]
            )
        )
        data[junk] = draw(TEXT)
    return data


def check_answers(application: Application, step: str, items, question, data: dict, *, partial: bool) -> None:
    answers = {a.item_id: a for a in application.checklist_answers.all()}
    if step == "sustainability":
        for item in items:
            box, text = f"sustainability-item_{item.pk}", f"sustainability-justification_{item.pk}"
            answer = answers.get(item.pk)
            checked, justification = (answer.checked, answer.justification) if answer else (False, "")
            box_value = ticked(data[box]) if box in data else False
            if box in data or not partial:
                # A full step POST without the box is an unticked box.
                assert checked == box_value, (box, data.get(box))
            if text in data:
                expected = expected_text(data[text], JUSTIFICATION_MAX, False)
                if expected is not None and not (box_value and not expected):
                    assert justification == expected, (text, data[text])
    key = f"{step}-question_{question.pk}"
    if key in data:
        expected = expected_text(data[key], question.max_length, False)
        if expected is not None:
            saved = application.question_answers.filter(question=question).values_list("text", flat=True).first()
            assert (saved or "") == expected, (key, data[key])


@pytest.mark.parametrize("step", ["sustainability", "project"])
def test_it_survives_anything_sent_as_checklist_answers_and_questions_to_autosave(questioned, applicant, step):
    draft, questions, items = questioned
    question = questions[step]
    client = _client(applicant)

    @FUZZ
    @given(data=checklist_payload(step, items, question))
    def run(data):
        draft.refresh_from_db()
        payload = {**data, "version": str(draft.version)}
        response = client.post(reverse("forms:autosave", args=[draft.pk, step]), payload)
        assert response.status_code in (200, 400), response.status_code
        body = response.json()
        assert body["message"].strip()
        assert_in_language(body["message"], "fr")  # the default language
        if response.status_code == 200:
            assert_clear_errors(body["errors"], "fr")
            check_answers(draft, step, items, question, data, partial=True)

    run()


@pytest.mark.parametrize("step", ["sustainability", "project"])
def test_it_survives_anything_sent_as_checklist_answers_and_questions_to_a_step(questioned, applicant, step):
    draft, questions, items = questioned
    question = questions[step]
    client = _client(applicant)

    @FUZZ
    @given(data=checklist_payload(step, items, question))
    def run(data):
        draft.refresh_from_db()
        payload = {f"{WIZARD_PREFIX}-current_step": step, **data, "version": str(draft.version)}
        response = client.post(reverse("forms:wizard_step", args=[draft.pk, step]), payload)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            form = response.context["wizard"]["form"]
            errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
            assert errors, "a refused step says why"
            assert_clear_errors(errors, "fr")
        check_answers(draft, step, items, question, data, partial=False)

    run()


# -- attachments

LIMIT = 2000
PDF_HEAD = b"%PDF-1.4\n"
ORDINARY_NAMES = ["lettre.pdf", "Lettre d'appui.pdf", "budget été.pdf", "a.exe", "noext", "photo.png"]
NAMES = st.one_of(
    st.sampled_from(
        [
            *ORDINARY_NAMES,
            "",
            ".pdf",
            "../../etc/passwd",
            "<script>alert(1)</script>.pdf",
            "🙂" * 20 + ".pdf",
            "x" * 400 + ".pdf",
            "C:\\temp\\a.pdf",
            "a.pdf.exe",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='"\\/'), max_size=60),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/pdf",
        "text/plain",
        "text/html",
        "application/x-msdownload",
        "image/png; charset=utf-8",
        "application/octet-stream",
        "../../x",
        "a" * 300,
    ]
)
CONTENT = st.one_of(
    st.binary(max_size=LIMIT + 500).map(lambda tail: PDF_HEAD + tail),
    st.binary(max_size=LIMIT + 500),
    st.sampled_from([b"", b"MZ\x90\x00" + b"\x00" * 40, b"GIF89a" + b"\x00" * 20, b"PK\x03\x04garbage"]),
    st.integers(LIMIT - 5, LIMIT + 5).map(lambda size: PDF_HEAD + b"0" * (size - len(PDF_HEAD))),
)


class Upload(io.BytesIO):
    """A file as a hostile browser may send it: any name (even empty), any declared content type."""

    def __init__(self, name: str, content: bytes, content_type: str):
        super().__init__(content)
        self.name, self.content_type = name, content_type


def test_it_survives_any_file_sent_to_the_attachments_step(draft, applicant, settings):
    settings.ATTACHMENT_MAX_BYTES = LIMIT
    call_form_configure(call=draft.call, attachments_enabled=True, max_attachments=2)
    client = _client(applicant)
    url = reverse("forms:attachment_upload", args=[draft.pk])

    @FUZZ
    @given(name=NAMES, content=CONTENT, content_type=CONTENT_TYPES, description=st.one_of(st.none(), TEXT))
    def run(name, content, content_type, description):
        Attachment.objects.all().delete()  # the count limit is not what this test is about
        upload = Upload(name, content, content_type)
        payload = {"file": upload} if description is None else {"file": upload, "description": description}
        response = client.post(url, payload, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302, response.status_code
        assert client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").status_code == 200
        messages = _messages(response)
        assert messages and all(m.strip() for m in messages)

        kind = sniff(SimpleUploadedFile("x", content)).kind
        # config.middleware drops NUL characters before the form sees the description.
        description_ok = description is None or expected_text(description.replace("\x00", ""), 200, False) is not None
        acceptable = kind is not None and len(content) <= LIMIT and description_ok
        stored = list(Attachment.objects.all())
        event("stored" if stored else "refused")
        if stored:
            (attachment,) = stored
            assert acceptable, (name, content[:20])
            assert (attachment.kind, attachment.size) == (kind, len(content))
            assert attachment.file.storage.exists(attachment.file.name)
            assert any("is added" in m for m in messages), messages
        elif name in ORDINARY_NAMES and description_ok:
            assert not acceptable, (name, content[:20], messages)
            if not content:
                assert any("is empty" in m for m in messages), messages
            elif len(content) > LIMIT:
                assert any("the limit is" in m for m in messages), messages
            else:
                assert any("only these are accepted" in m for m in messages), messages
        if content.startswith(PDF_HEAD) and len(content) <= LIMIT and name in ORDINARY_NAMES and description_ok:
            assert stored, (name, messages)

    run()


# -- summary and submission

EXTRA_KEYS = st.sampled_from(
    [
        "wizard_goto_step",
        f"{WIZARD_PREFIX}-current_step",
        "version",
        "status",
        "submitted_at",
        "summary-anything",
        "summary-question_1",
        "confirm",
        "next_step",
        "csrfmiddlewaretoken",
        "project-title",
    ]
)
EXTRAS = st.dictionaries(st.one_of(EXTRA_KEYS, HOSTILE.filter(bool), st.text(max_size=20)), TEXT, max_size=6)


def test_it_survives_anything_sent_to_the_summary_and_submit(empty_draft, applicant):
    client = _client(applicant)
    summary = reverse("forms:wizard_step", args=[empty_draft.pk, "summary"])
    submit = reverse("forms:submit", args=[empty_draft.pk])

    @FUZZ
    @given(extras=EXTRAS, query=st.dictionaries(st.text(max_size=10), TEXT, max_size=3))
    def run(extras, query):
        assert client.get(summary, query).status_code == 200

        response = client.post(summary, {f"{WIZARD_PREFIX}-current_step": "summary", **extras})
        # 400: a management form that names another step is refused as suspicious (forms.wizard).
        assert response.status_code in (200, 302, 400), response.status_code

        response = client.post(submit, extras, HTTP_ACCEPT_LANGUAGE="en")
        if any(len(key.encode()) > 900 for key in extras):
            # A multipart part header over Django's limit: the body cannot be read, a 400 (not a 500).
            assert response.status_code == 400, response.status_code
        else:
            assert response.status_code == 302, response.status_code
            assert response["Location"] == summary
            messages = _messages(response)
            assert "Your application is not complete yet:" in messages and all(m.strip() for m in messages)

        empty_draft.refresh_from_db()
        assert empty_draft.status == Application.Status.DRAFT and empty_draft.submitted_at is None

    run()
