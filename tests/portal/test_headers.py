"""Every answer carries the Content-Security-Policy and the Permissions-Policy: a page, an
error page, a download. The policy allows nothing inline (no script, no style, no handler),
so no template may hold any: checked here on every template, including those the crawl of
the browser tests cannot reach (forms with errors, import previews, error pages)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.urls import reverse

from funds import services
from funds.choices import EmergencyKind
from tests.funds.conftest import account_a  # noqa: F401 — a fixture

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'none'"},
    "object-src": {"'none'"},
}
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def _policy(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {words[0]: set(words[1:]) for words in directives}


def assert_headers(response) -> None:
    policy = _policy(response)
    for directive, sources in POLICY.items():
        assert policy.get(directive) == sources, (directive, policy.get(directive))
    assert not any("'unsafe-inline'" in s or "'unsafe-eval'" in s for s in policy.values())
    features = response.headers.get("Permissions-Policy", "")
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in features


def test_a_page_carries_the_policies(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert_headers(response)


def test_a_missing_page_carries_the_policies(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_headers(response)


def test_a_downloaded_file_carries_the_policies(
    client_of,
    account_a,  # noqa: F811 — the fixture imported above
    firm_user,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    application = services.emergency_file(
        user=firm_user,
        compound=account_a.compound,
        kind=EmergencyKind.LEAK,
        title="屋面渗漏",
        description="顶层漏水",
        quote_amount=Decimal("800.00"),
        quote_file=SimpleUploadedFile("quote.pdf", b"%PDF-1.4 quote", "application/pdf"),
        evidence_files=[],
    )
    response = client_of(firm_user).get(
        reverse("portal:file", args=["emergency-quote", application.pk])
    )
    assert response.status_code == 200
    assert_headers(response)


def test_a_signed_in_page_carries_the_policies(client_of, street_officer):
    response = client_of(street_officer).get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert_headers(response)


# --- nothing inline in any template ------------------------------------------------------------

# An executable <script> (one without a src, unless it holds JSON data), a <style> element, a
# style attribute, an on…= handler, a javascript: address.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "style element": re.compile(r"<style\b"),
    "style attribute": re.compile(r"\sstyle=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+=", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
}


def _templates() -> list[Path]:
    """Ours: the project's folder and our apps' (not those of installed packages)."""
    base = Path(settings.BASE_DIR)
    folders = [Path(d) for d in engines["django"].engine.dirs]
    folders += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).parent == base
    ]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.html"))


def test_no_template_holds_inline_script_style_or_handlers():
    base = Path(settings.BASE_DIR)
    templates = _templates()
    assert len(templates) > 50
    found = [
        f"{path.relative_to(base)}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for path in templates
        for text in [path.read_text(encoding="utf-8")]
        for what, pattern in INLINE.items()
        for m in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)


# The two places that print markup unescaped, both our own: the QR code of a sign-in key
# (segno's SVG) and the published red/black list, rendered by our template and cached.
UNESCAPED = {
    "templates/registration/mfa_setup.html": "{{ qr_svg|safe }}",
    "credit/views/redblack.py": "mark_safe(_lists_html(shown))",
}


def test_no_template_or_view_prints_user_text_unescaped():
    root = Path(settings.BASE_DIR)
    found = {}
    sources = [*root.glob("templates/**/*.html"), *root.glob("*/**/*.py")]
    for path in sources:
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/", "var/")):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\|\s*safe\b|mark_safe\(|autoescape off|SafeString\(", text):
            found[relative] = text
    assert set(found) == set(UNESCAPED)
    for relative, expected in UNESCAPED.items():
        assert expected in found[relative], relative
