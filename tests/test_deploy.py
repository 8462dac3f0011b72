"""Production settings: `check --deploy` is clean, and missing secrets stop the start.

Settings are read once per process, so each case runs manage.py in a subprocess with its
own environment.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn",
}


def run_manage(*args: str, env: dict[str, str], cwd=None) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") or key == "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd or settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_collectstatic_as_the_image_runs_it_builds_the_manifest(tmp_path):
    # The Dockerfile collects static files with production settings (hashed names, compressed);
    # a stylesheet pointing at a missing file would break the image build. Run it on a copy:
    # STATIC_ROOT is var/staticfiles of the tree.
    tree = tmp_path / "portal"
    shutil.copytree(
        settings.BASE_DIR,
        tree,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "artifacts", "tests", "bench", "*.egg-info", "__pycache__"
        ),
    )

    result = run_manage("collectstatic", "--noinput", env=PRODUCTION_ENV, cwd=tree)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tree / "var" / "staticfiles" / "staticfiles.json").read_text())
    assert "vendor/bootstrap/bootstrap.min.css" in manifest["paths"]
