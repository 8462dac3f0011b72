"""The production stack as docker-compose.yml describes it (no Docker engine runs here: the file
is read and checked, the Dockerfile is read for the commands the stack relies on)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_the_stack_has_database_broker_web_worker_and_beat(services):
    assert {"postgres", "redis", *APP_SERVICES} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_every_long_running_service_has_a_healthcheck(services):
    for name in ("postgres", "redis", *APP_SERVICES):
        assert services[name]["healthcheck"]["test"], name


def test_web_worker_and_beat_share_one_image_and_one_environment(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert len(images) == 1
    assert all(env == environments[0] for env in environments)
    assert environments[0]["DJANGO_ENV"] == "production"


def test_urls_point_at_the_postgres_and_redis_services(services):
    env = services["web"]["environment"]
    assert re.fullmatch(
        r"postgres://portal:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432/portal",
        env["DATABASE_URL"],
    )
    assert env["REDIS_URL"] == "redis://redis:6379/0"


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_secrets_are_required_from_the_environment_never_defaulted(services, variable):
    # `${VAR:?message}` makes compose refuse to start without it; `${VAR:-x}` or a literal
    # would put a known secret into production.
    for name in APP_SERVICES:
        value = services[name]["environment"][variable]
        assert re.fullmatch(rf"\$\{{{variable}:\?[^}}]*\}}", value), (name, value)
    assert re.fullmatch(
        r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    )


def test_processes_are_gunicorn_and_celery_worker_and_beat(services):
    assert command_of(services["web"]).startswith("gunicorn portal.wsgi:application")
    assert command_of(services["worker"]).startswith("celery -A portal worker")
    assert command_of(services["beat"]).startswith("celery -A portal beat")


def test_app_services_wait_for_healthy_database_and_broker_and_migrations(services):
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    assert command_of(services["migrate"]) == "python manage.py migrate --noinput"


def test_data_lives_in_named_volumes(compose, services):
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "media:/app/var/media" in services["web"]["volumes"]
    assert services["web"]["environment"]["MEDIA_ROOT"] == "/app/var/media"


def test_dockerfile_installs_collects_static_and_drops_root(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "pip install ." in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "gunicorn" in dockerfile


def test_healthcheck_script_and_dockerignore_exist():
    assert (ROOT / "scripts" / "healthcheck.py").is_file()
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "var", ".env"} <= set(ignored)


def test_healthcheck_script_fails_when_nothing_listens():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "healthcheck.py")],
        env={"PORT": "9", "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "unhealthy" in result.stderr


def test_healthcheck_script_passes_against_a_healthy_portal(live_server):
    port = live_server.url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "healthcheck.py")],
        env={"PORT": port, "DJANGO_ALLOWED_HOSTS": "localhost"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
