"""The French catalogue is complete and compiled: every message in the code has a French translation,
none is fuzzy, and the committed .mo says what the .po says."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SKIP = {".venv", ".git", "locale", "media", "staticfiles", "node_modules", "tests", "bench"}

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext (msgfmt) is not installed")


def _entries(po: Path, *flags: str) -> list[str]:
    """The msgids of `po` that msgattrib selects with `flags` (header excluded)."""
    out = subprocess.run(["msgattrib", *flags, str(po)], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_it_translates_every_message_of_the_code(tmp_path):
    # makemessages rewrites the catalogue it finds, so it runs on a copy beside links to the code.
    for entry in ROOT.iterdir():
        if entry.name not in SKIP:
            (tmp_path / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--symlinks", "--no-obsolete", "--verbosity", "0"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    refreshed = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    assert _entries(refreshed, "--untranslated") == []
    assert _entries(refreshed, "--only-fuzzy") == []


def test_it_ships_the_compiled_catalogue_of_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
    with MO.open("rb") as shipped, compiled.open("rb") as fresh:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(fresh)._catalog
