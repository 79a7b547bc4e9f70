"""Report attachments are checked like the application's: by their bytes and size (forms.filetypes)."""

from django.conf import settings

from forms.filetypes import KINDS, check_upload


def validate_attachment(upload) -> str:
    """Return the content type of an acceptable upload; raise ValidationError (translated) otherwise."""
    return KINDS[check_upload(upload, limit=settings.ATTACHMENT_MAX_BYTES)][1]
