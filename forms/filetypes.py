"""What a file really is, from its bytes (never from its name or the browser's content type).

Accepted: PDF, PNG, JPEG, Word (DOCX), Excel (XLSX), OpenDocument text (ODT) and plain UTF-8 text.
"""

import io
import os
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# kind -> (what a person calls it, the content type sent back on download)
KINDS = {
    "pdf": (_("PDF document"), "application/pdf"),
    "png": (_("PNG image"), "image/png"),
    "jpeg": (_("JPEG image"), "image/jpeg"),
    "docx": (_("Word document"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (_("Excel spreadsheet"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": (_("OpenDocument text"), "application/vnd.oasis.opendocument.text"),
    "txt": (_("plain text file"), "text/plain; charset=utf-8"),
}

# Recognised but refused, so the message can say what the file is.
_REFUSED = [
    (b"GIF87a", _("GIF image")),
    (b"GIF89a", _("GIF image")),
    (b"MZ", _("Windows program")),
    (b"\x7fELF", _("program")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _("old Office document (.doc, .xls)")),
    (b"Rar!", _("RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", _("7-Zip archive")),
    (b"\x1f\x8b", _("compressed archive")),
    (b"{\\rtf", _("RTF document")),
]


@dataclass(frozen=True)
class Sniffed:
    kind: str | None  # one of KINDS when accepted, else None
    description: str  # what the file is, for messages


def _zip_kind(head: bytes, read) -> Sniffed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(read()))
        names = set(archive.namelist())
        mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return Sniffed(None, str(_("damaged ZIP archive")))
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return Sniffed("docx", str(KINDS["docx"][0]))
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return Sniffed("xlsx", str(KINDS["xlsx"][0]))
    if mimetype == b"application/vnd.oasis.opendocument.text":
        return Sniffed("odt", str(KINDS["odt"][0]))
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return Sniffed(None, str(_("OpenDocument file other than text")))
    return Sniffed(None, str(_("ZIP archive")))


def sniff(uploaded) -> Sniffed:
    """Look at the first bytes (and, for ZIP-based formats, the archive's contents) of an uploaded file."""
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)

    def read_all() -> bytes:
        uploaded.seek(0)
        data = uploaded.read()
        uploaded.seek(0)
        return data

    if head.startswith(b"%PDF-"):
        return Sniffed("pdf", str(KINDS["pdf"][0]))
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png", str(KINDS["png"][0]))
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpeg", str(KINDS["jpeg"][0]))
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head, read_all)
    for magic, description in _REFUSED:
        if head.startswith(magic):
            return Sniffed(None, str(description))
    if not head:
        return Sniffed(None, str(_("empty file")))
    data = read_all()
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return Sniffed(None, str(_("text file that is not in UTF-8")))
        return Sniffed("txt", str(KINDS["txt"][0]))
    return Sniffed(None, str(_("file of an unknown kind")))


# The extension a downloaded file gets: the one of what its bytes are, whatever name it came with.
EXTENSIONS = {
    "pdf": ".pdf",
    "png": ".png",
    "jpeg": ".jpg",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "odt": ".odt",
    "txt": ".txt",
}


def kind_of_content_type(content_type: str) -> str | None:
    """The kind (a key of KINDS) whose download content type is `content_type`, if any."""
    base = content_type.split(";")[0].strip().lower()
    return next((kind for kind, (_label, sent) in KINDS.items() if sent.split(";")[0] == base), None)


def download_name(name: str, kind: str | None) -> str:
    """`name` with the extension of `kind`, so that a text file named "lettre.pdf" or "outil.bat"
    is saved as "lettre.txt" / "outil.txt" on the reader's computer, and opens as what it is."""
    base = os.path.basename(name.replace("\\", "/"))
    stem, dot, extension = base.rpartition(".")
    stem, extension = (stem, dot + extension) if dot else (base, "")
    stem = stem.strip(" .") or "document"
    wanted = EXTENSIONS.get(kind or "")
    if wanted is None:
        return stem
    if extension.lower() == wanted or (kind == "jpeg" and extension.lower() == ".jpeg"):
        return stem + extension
    return stem + wanted


def accepted_list() -> str:
    """'PDF document, PNG image, ...' in the current language."""
    return ", ".join(str(label) for label, _type in KINDS.values())


def human_size(size: int) -> str:
    """12.3 MB, 850 kB, 12 bytes (binary multiples, as file managers show them), localised."""
    from django.utils.formats import number_format

    if size >= 1024 * 1024:
        value = round(size / (1024 * 1024), 1)
        return _("%(size)s MB") % {"size": number_format(value, 0 if value == int(value) else 1)}
    if size >= 1024:
        return _("%(size)s kB") % {"size": number_format(round(size / 1024))}
    return _("%(size)s bytes") % {"size": size}


def check_upload(uploaded, *, limit: int) -> str:
    """The accepted kind (a key of KINDS) of an uploaded file, or ValidationError saying why it is refused."""
    if not uploaded.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": human_size(uploaded.size), "limit": human_size(limit)},
            code="too_large",
        )
    sniffed = sniff(uploaded)
    if sniffed.kind is None:
        raise ValidationError(
            _("This file is a %(what)s, but only these are accepted: %(accepted)s.")
            % {"what": sniffed.description, "accepted": accepted_list()},
            code="type",
        )
    return sniffed.kind
