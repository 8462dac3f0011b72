"""With the production cache, Redis, shared by every worker: a hit reads the generation
through a client its process keeps (Django's backend makes one per call), so an invalidation
by any other process shows on the very next request, and a lost generation serves nothing kept.

Runs only with REDIS_URL set (CI sets it); each test keeps its keys under a prefix of its own."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from portal import pagecache

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set"),
]

FORM = reverse("credit:certificate_verify_form")


@pytest.fixture(autouse=True)
def shared_cache(settings):
    prefix = f"test-pagecache-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    yield
    client = caches["default"]._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def other_process():
    """The same shared cache as another worker sees it: a backend of its own."""
    return caches.create_connection("default")


def served(client: Client | None = None):
    response = (client or Client()).get(FORM)
    assert response.status_code == 200
    return response


def test_the_kept_page_is_served_without_the_view():
    first, second = served(), served()
    assert first.context is not None and second.context is None
    assert second.content == first.content


def test_an_invalidation_in_another_process_shows_on_the_next_request(other_process):
    served(), served()
    other_process.set(pagecache.GENERATION_KEY, pagecache._new_generation(), None)
    assert served().context is not None
    assert served().context is None  # and is kept again under the new generation


def test_a_generation_lost_by_the_shared_cache_serves_nothing_kept(other_process):
    served(), served()
    other_process.delete(pagecache.GENERATION_KEY)
    assert served().context is not None


def test_a_lost_connection_costs_one_request_its_kept_page(other_process):
    served(), served()
    reader = pagecache._reader.connection
    reader.send_command("CLIENT", "ID")
    other_process._cache.get_client(write=True).client_kill_filter(_id=reader.read_response())
    assert served().context is not None  # the cache unreachable: the view answers
    assert served().context is None  # connected again
