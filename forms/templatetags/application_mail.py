"""Absolute links in e-mails, which have no request to build them from."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def absolute_url(path: str) -> str:
    """SITE_URL followed by `path`: `{% absolute_url application.get_absolute_url %}`."""
    return settings.SITE_URL.rstrip("/") + (path or "/")
