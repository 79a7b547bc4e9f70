"""The attachments step as a browser uses it, with random and hostile files (hypothesis).

A run opens the step page and does a few things from it in a row: adds files through the page's
upload form (any name, any description, bytes that lie about their type, empty or oversize files,
more than the call accepts), removes one, posts the step's own form with junk (files included), or
asks autosave for this step. Each time: never a server error; a refused file is explained by one
message in the user's language, saying why, and leaves nothing stored (no row, no file on disk);
every file accepted so far is still listed, with its name and description as typed, and the rest
of the application is untouched.
"""

import io
import os
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from forms.models import Attachment
from forms.services import call_form_configure

from .conftest import WIZARD_PREFIX
from .test_fuzz import EXAMPLES, HOSTILE, PLACEHOLDER, STEPS, TEXT, _client, assert_in_language, baseline, reset, state

pytestmark = pytest.mark.django_db
__all__ = ["baseline"]  # a fixture

LIMIT = 2000  # settings.ATTACHMENT_MAX_BYTES for these tests
MAX_FILES = 2
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


OFFICE = {
    "docx": _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}),
    "xlsx": _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"}),
    "odt": _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<o/>"}),
}
MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04", b"GIF8", b"MZ", b"\x7fELF", b"Rar!", b"7z", b"{\\rtf")
TAIL = st.binary(max_size=200)
# (what the file really is: a kind of forms.filetypes.KINDS, or None when refused, bytes)
ACCEPTED = st.one_of(
    TAIL.map(lambda t: ("pdf", b"%PDF-1.4\n" + t)),
    TAIL.map(lambda t: ("png", b"\x89PNG\r\n\x1a\n" + t)),
    TAIL.map(lambda t: ("jpeg", b"\xff\xd8\xff\xe0" + t)),
    st.sampled_from(sorted(OFFICE)).map(lambda kind: (kind, OFFICE[kind])),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200)
    .map(lambda t: t.encode())
    .filter(lambda b: not b.startswith(MAGIC) and not b.startswith(b"\x1f\x8b"))
    .map(lambda b: ("txt", b)),
    # Exactly at the limit is still accepted.
    st.just(("pdf", b"%PDF-1.4\n" + b"0" * (LIMIT - 9))),
)
REFUSED = st.one_of(
    TAIL.map(lambda t: ("Windows program", b"MZ\x90\x00" + t)),
    TAIL.map(lambda t: ("program", b"\x7fELF" + t)),
    TAIL.map(lambda t: ("GIF image", b"GIF89a" + t)),
    TAIL.map(lambda t: ("damaged ZIP archive", b"PK\x03\x04" + t)),
    TAIL.map(lambda t: ("compressed archive", b"\x1f\x8b" + t)),
    st.just(("ZIP archive", _zip({"a.txt": "x"}))),
    st.just(
        ("OpenDocument file other than text", _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}))
    ),
    st.just(("text file that is not in UTF-8", "été à Noël".encode("latin-1"))),
    st.just(("file of an unknown kind", b"abc\x00def")),
    st.just(("RTF document", b"{\\rtf1 Lettre}")),
    st.just(("empty", b"")),
    st.integers(1, 50).map(lambda extra: ("too large", b"%PDF-1.4\n" + b"0" * (LIMIT - 9 + extra))),
)
NAMES = st.one_of(
    st.sampled_from(
        [
            "lettre.pdf",
            "Lettre d'appui.pdf",
            "budget été.pdf",
            "virus.exe",
            "photo.png",
            "noext",
            ".pdf",
            "a.pdf.exe",
            "<script>alert(1)</script>.pdf",
            "' OR 1=1 --.pdf",
            "\u202eexe.pdf",
            "zéro\u200blargeur.pdf",
            "🙂" * 20 + ".pdf",
            "x" * 400 + ".pdf",
            "../../etc/passwd",
            "C:\\temp\\a.pdf",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='"\\/'), max_size=60),
)
CONTENT_TYPES = st.sampled_from(["application/pdf", "text/html", "application/x-msdownload", "image/png", "../../x"])
DESCRIPTIONS = st.one_of(
    st.none(), st.sampled_from(["Lettre d'appui du CISSS", "  espaces  ", "é" * 200, "é" * 201]), TEXT
)


class Upload(io.BytesIO):
    """A file as a hostile browser may send it: any name, any declared content type."""

    def __init__(self, name: str, content: bytes, content_type: str):
        super().__init__(content)
        self.name, self.content_type = name, content_type


def stored_name(name: str) -> str | None:
    """The name a file sent as `name` is listed under, or None when no file arrives: the test client
    sends the last part of a path ("file" for no name), Django's parser cleans it (sanitize_file_name)
    and the application keeps the last 255 characters."""
    sent = os.path.basename(name) or "file"
    cleaned = unescape(sent).rsplit("/")[-1].rsplit("\\")[-1]
    cleaned = "".join(c for c in cleaned if c.isprintable())
    if cleaned in {"", ".", ".."}:
        return None
    if len(cleaned) > 255:  # as UploadedFile shortens a name: its extension kept
        root, extension = os.path.splitext(cleaned)
        cleaned = root[: 255 - len(extension[:255])] + extension[:255]
    return cleaned


def expected_description(value: str | None) -> str | None:
    """The description stored, or None when it is refused (NUL characters dropped, 200 at most)."""
    text = (value or "").replace("\x00", "").strip()
    return text if len(text) <= 200 else None


def matches(message: str, language: str, msgid: str, plural: str | None = None, n: int = 2) -> bool:
    """Whether `message` is `msgid` (or its plural) as translated in `language`, whatever its parameters."""
    with translation.override(language):
        template = translation.ngettext(msgid, plural, n) if plural else translation.gettext(msgid)
    return re.fullmatch(".*?".join(map(re.escape, PLACEHOLDER.split(template))), message, re.S) is not None


TOO_LONG = (
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
)


def refusals(name: str | None, kind: str, description_ok: bool, count: int) -> list[tuple]:
    """The messages (msgid[, plural]) a file must be refused with, in order; none when it is accepted."""
    # The upload form first (Django's FileField refuses an empty file), then the file's checks.
    if name is None:
        form_errors = [("This field is required.",)]
    else:
        form_errors = [("The submitted file is empty.",)] if kind == "empty" else []
    form_errors += [TOO_LONG] * (not description_ok)
    if form_errors:
        return form_errors
    if kind == "too large":
        return [("The file is %(size)s; the limit is %(limit)s.",)]
    if kind not in ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "txt"):
        return [("This file is a %(what)s, but only these are accepted: %(accepted)s.",)]
    if count >= MAX_FILES:
        return [("This call accepts at most %(max)s attachments.",)]
    return []


UPLOAD = st.tuples(st.just("upload"), NAMES, st.one_of(ACCEPTED, ACCEPTED, REFUSED), CONTENT_TYPES, DESCRIPTIONS)
OTHER_ACTIONS = [
    st.tuples(st.just("remove"), st.integers(0, MAX_FILES)),
    st.tuples(
        st.just("continue"),
        st.dictionaries(st.sampled_from(["project-title", "wizard_goto_step", "file", "junk"]), TEXT, max_size=3),
        st.one_of(ACCEPTED, REFUSED),
    ),
    # Keys short enough for a multipart header (a longer one is a 400, see test_fuzz_more's summary test).
    st.tuples(
        st.just("autosave"),
        st.dictionaries(st.one_of(HOSTILE.filter(lambda k: len(k) < 100), st.text(max_size=10)), TEXT, max_size=3),
    ),
]
# Mostly uploads, so that runs reach the call's limit on the number of files.
ACTIONS = st.lists(
    st.integers(0, 8).flatmap(lambda n: UPLOAD if n < 6 else OTHER_ACTIONS[n - 6]), min_size=1, max_size=8
)


def _actions(html: str, application) -> tuple[str, list[str]]:
    """The page's upload form and its remove forms (one per file listed, in order)."""
    actions = re.findall(r'<form method="post" action="([^"]*)"', html)
    upload = reverse("forms:attachment_upload", args=[application.pk])
    assert upload in actions
    return upload, [a for a in actions if re.fullmatch(rf"{re.escape(upload)}\d+/delete/", a)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_survives_anything_done_on_the_attachments_step(
    draft, baseline, applicant, language, settings, django_capture_on_commit_callbacks
):
    settings.ATTACHMENT_MAX_BYTES = LIMIT
    call_form_configure(call=draft.call, attachments_enabled=True, max_attachments=MAX_FILES)
    client, headers = _client(applicant, language, cookie=language == "en")
    step_url = reverse("forms:wizard_step", args=[draft.pk, "attachments"])
    media = Path(django_settings.MEDIA_ROOT)

    def page():
        response = client.get(step_url, **headers)
        assert response.status_code == 200, response.status_code
        assert response["Content-Language"] == language
        return response, response.content.decode()

    @FUZZ
    @given(actions=ACTIONS)
    def run(actions):
        for attachment in Attachment.objects.all():
            attachment.file.delete(save=False)
        Attachment.objects.all().delete()
        application = reset(draft, baseline)
        others = {step: state(application, step) for step in STEPS}
        listed: list[tuple] = []  # (name or None, description, kind, bytes) of each file accepted, in order

        for action in actions:
            response, html = page()
            upload_url, remove_urls = _actions(html, draft)
            assert len(remove_urls) == len(listed)
            if action[0] == "upload":
                _kind, name, (kind, content), content_type, description = action
                payload = {"file": Upload(name, content, content_type)}
                if description is not None:
                    payload["description"] = description
                response = client.post(upload_url, payload, **headers)
                assert response.status_code == 302 and response["Location"] == step_url, response.status_code
                response, html = page()
                messages = [str(m) for m in response.context["messages"]]
                for message in messages:
                    assert_in_language(message, language)
                    assert escape(message) in html
                why = refusals(stored_name(name), kind, expected_description(description) is not None, len(listed))
                event(f"refused: {why[0][0][:30]}" if why else "accepted")
                expected_messages = why or [("“%(name)s” is added.",)]
                assert len(messages) == len(expected_messages), (messages, expected_messages)
                for message, msgid in zip(messages, expected_messages, strict=True):
                    assert matches(message, language, *msgid), (kind, msgid, message)
                if not why:
                    listed.append((stored_name(name), expected_description(description), kind, content))
            elif action[0] == "remove":
                if action[1] < len(remove_urls):
                    with django_capture_on_commit_callbacks(execute=True):
                        response = client.post(remove_urls[action[1]], **headers)
                    assert response.status_code == 302 and response["Location"] == step_url
                    listed.pop(action[1])
                    messages = [str(m) for m in page()[0].context["messages"]]
                    assert len(messages) == 1 and matches(messages[0], language, "“%(name)s” is removed."), messages
                else:  # a file that is not there, or not this application's
                    url = reverse("forms:attachment_delete", args=[draft.pk, 10**6 + action[1]])
                    assert client.post(url, **headers).status_code == 404
            elif action[0] == "continue":
                # The step's own form, with junk: a file sent here is not an upload, and nothing else changes.
                _kind, extras, (_what, content) = action
                payload = {**extras, f"{WIZARD_PREFIX}-current_step": "attachments", "version": application.version}
                if "file" in extras:
                    payload["file"] = Upload("sneaky.pdf", content, "application/pdf")
                response = client.post(step_url, payload, **headers)
                assert response.status_code == 302, response.status_code
                goto = extras.get("wizard_goto_step", "").replace("\x00", "")
                target = (
                    goto if goto in ("project", "budget", "partners", "sustainability", "attachments") else "summary"
                )
                assert response["Location"] == reverse("forms:wizard_step", args=[draft.pk, target])
            else:
                # Attachments have no autosave: a clear "not found", never a server error.
                url = reverse("forms:autosave", args=[draft.pk, "attachments"])
                response = client.post(url, {**action[1], "version": application.version}, **headers)
                assert response.status_code == 404, response.status_code

            saved = list(Attachment.objects.order_by("uploaded_at", "pk"))
            assert [(a.kind, a.size) for a in saved] == [(kind, len(content)) for _n, _d, kind, content in listed]
            for attachment, (name, description, _kind, content) in zip(saved, listed, strict=True):
                assert attachment.file.read() == content
                attachment.file.close()
                assert attachment.description == description
                assert attachment.name == name
            # Nothing stored for what was refused: the files on disk are those of the rows.
            on_disk = {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()} if media.exists() else set()
            assert on_disk == {a.file.name for a in saved}

        response, html = page()
        assert "<script>alert(1)</script>" not in html
        for attachment in Attachment.objects.all():
            assert escape(attachment.name) in html
            assert not attachment.description or escape(attachment.description) in html
        application.refresh_from_db()
        assert {step: state(application, step) for step in STEPS} == others, "the rest of the application is untouched"

    run()
