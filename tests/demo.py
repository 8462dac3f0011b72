"""The demo city for tests that need all of it (the crawl, the browser's accessibility pass).

`load_demo` rates 2023 once the load commits (transaction.on_commit); a test that loads it
inside a transaction it later rolls back would never see the rating, so the callbacks run
here, eagerly, whatever REDIS_URL says.
"""

from __future__ import annotations

import contextlib

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.test.utils import override_settings

from portal.celery import app
from portal.demo import DEMO_PASSWORD, DemoContext, load_demo

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextlib.contextmanager
def _eager_tasks():
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = saved


def load_demo_for_tests() -> DemoContext:
    """Load the demo, run what it leaves for after its commit, and give the demo accounts a
    cheap password hash (the demo's own uses the slow hasher, on purpose)."""
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        _eager_tasks(),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        ctx = load_demo()
        for user in get_user_model().objects.filter(username__startswith="demo_"):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return ctx
