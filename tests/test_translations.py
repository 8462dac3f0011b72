"""The Chinese catalogue ships complete and compiled, so a fresh machine needs no gettext."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.apps import apps
from django.utils import translation

from portal import history

PORTAL_APPS = {"portal", "companies", "credit", "funds", "proposals"}
LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated: {missing[:20]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:20]}"


def _texts(catalogue) -> dict[tuple, str]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        for entry in catalogue
        if entry.msgid and not getattr(entry, "obsolete", False)
    }


def test_the_compiled_catalogue_matches_the_source():
    source = _texts(polib.pofile(str(LOCALE / "django.po")))
    compiled = _texts(polib.mofile(str(LOCALE / "django.mo")))
    assert compiled == source


def test_chinese_is_the_default_and_english_is_available():
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


def test_pages_open_in_chinese_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()


def test_english_once_chosen_in_the_footer(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    assert "Sign in" in response.content.decode()


LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _untranslated(label) -> bool:
    """A label that still reads in English under Chinese (a code such as "A" is no word)."""
    with translation.override("zh-hans"):
        return bool(LATIN_WORD.search(str(label)))


def test_every_choice_of_every_model_has_a_chinese_label():
    missing = sorted(
        f"{model._meta.label}.{field.name}={value!r}: {label}"
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS
        for field in model._meta.get_fields()
        for value, label in getattr(field, "flatchoices", None) or []
        if _untranslated(label)
    )
    assert missing == []


def test_every_recorded_reason_and_state_has_a_chinese_label():
    missing = sorted(
        f"{model.__name__}: {code} → {label}"
        for model, (reasons, states) in history.registered().items()
        for code, label in {**reasons, **states}.items()
        if _untranslated(label)
    )
    assert missing == []
