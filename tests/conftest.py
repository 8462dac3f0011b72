"""The people every scope test needs: for each role, the owner of a scope, a colleague
in the same scope, and an outsider (the same role elsewhere)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from celery.contrib.testing import tasks as celery_testing_tasks  # registers celery.ping
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from portal.celery import app
from portal.choices import Role

from .factories import (
    CommunityFactory,
    CompoundFactory,
    FirmFactory,
    StreetFactory,
    UserFactory,
)
from .signin import verified_login


@pytest.fixture(autouse=True, scope="session")
def _no_shared_cache() -> Iterator[None]:
    """No test process reads the shared Redis cache unless a test asks for it: the modules
    that load the demo once (a fixture of module scope, set up before `_own_cache`) would
    otherwise keep what they remember (the published versions, the page generation) in the
    Redis cache of every xdist worker and CI run, and read the rows of another worker's
    database back from it."""
    from django.test import override_settings

    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        yield


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test its own empty cache, and no rate limits: with REDIS_URL set (CI) the tests
    would otherwise share one Redis cache across processes and runs. The rate-limit tests
    turn the limits on for themselves."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PORTAL_RATE_LIMITS_ENABLED = False
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many accounts; a deliberately slow hasher would only slow them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def street_a(db):
    return StreetFactory(name="东街道")


@pytest.fixture
def street_b(db):
    return StreetFactory(name="西街道")


@pytest.fixture
def community_a(street_a):
    return CommunityFactory(street=street_a, name="东一社区")


@pytest.fixture
def community_b(street_b):
    return CommunityFactory(street=street_b, name="西一社区")


@pytest.fixture
def firm_a(db):
    return FirmFactory(name="东方物业服务有限公司")


@pytest.fixture
def firm_b(db):
    return FirmFactory(name="西山物业服务有限公司")


@pytest.fixture
def compound_a(community_a, firm_a):
    """A compound of street A, community A, served by firm A."""
    return CompoundFactory(community=community_a, firm=firm_a, name="东苑小区")


@pytest.fixture
def compound_b(community_b, firm_b):
    """A compound of street B, community B, served by firm B."""
    return CompoundFactory(community=community_b, firm=firm_b, name="西苑小区")


@pytest.fixture
def bureau_user(db):
    return UserFactory(role=Role.BUREAU, username="bureau")


@pytest.fixture
def association_user(db):
    return UserFactory(role=Role.ASSOCIATION, username="association")


@pytest.fixture
def street_officer(street_a):
    return UserFactory(role=Role.STREET, street=street_a, username="street_a")


@pytest.fixture
def street_colleague(street_a):
    return UserFactory(role=Role.STREET, street=street_a, username="street_a2")


@pytest.fixture
def other_street_officer(street_b):
    return UserFactory(role=Role.STREET, street=street_b, username="street_b")


@pytest.fixture
def community_officer(community_a):
    return UserFactory(role=Role.COMMUNITY, community=community_a, username="community_a")


@pytest.fixture
def other_community_officer(community_b):
    return UserFactory(role=Role.COMMUNITY, community=community_b, username="community_b")


@pytest.fixture
def firm_user(firm_a):
    return UserFactory(role=Role.FIRM, firm=firm_a, username="firm_a")


@pytest.fixture
def other_firm_user(firm_b):
    return UserFactory(role=Role.FIRM, firm=firm_b, username="firm_b")


@pytest.fixture
def committee_user(compound_a):
    return UserFactory(role=Role.OWNERS_COMMITTEE, compound=compound_a, username="committee_a")


@pytest.fixture
def other_committee_user(compound_b):
    return UserFactory(role=Role.OWNERS_COMMITTEE, compound=compound_b, username="committee_b")


@pytest.fixture
def client_of(client):
    """Sign the test client in as a given user: `client_of(street_officer).get(...)`."""

    def sign_in(user):
        return verified_login(client, user)  # with the second factor a bureau account owes

    return sign_in


@pytest.fixture(autouse=True)
def _celery_in_process_unless_real_worker(request):
    """Tasks run in-process in tests even where REDIS_URL is set (CI): nothing would consume
    them. Only tests marked `worker` send them through the broker to a real worker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    from portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


# --- a real Celery worker (tests marked `worker`, with REDIS_URL set) ----------------------

assert celery_testing_tasks.ping.name == "celery.ping"


def _close_worker_connections(**kwargs) -> None:
    # Runs in the worker's thread, whose database connections are its own: left open they
    # would keep the test database from being flushed and dropped.
    connections.close_all()


@pytest.fixture
def celery_worker() -> Iterator:
    """A real worker on a queue of this test's own; the app's configuration is restored after."""
    conf = app.conf
    saved = {
        key: conf[key]
        for key in ("task_always_eager", "task_default_queue", "worker_hijack_root_logger")
    }
    queue = f"test-{uuid.uuid4().hex}"
    conf.task_always_eager = False
    conf.task_default_queue = queue
    conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(app, queues=[queue], perform_ping_check=True, shutdown_timeout=30) as w:
            yield w
    finally:
        task_postrun.disconnect(_close_worker_connections)
        conf.update(saved)
        with app.connection_for_write() as conn:
            # The queue and its exchange are this test's own: leave nothing behind in Redis.
            conn.default_channel.client.delete(
                queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )
