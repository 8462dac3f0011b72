"""The publication every red/black list test starts from (tests/credit/publishing.py): a rated
run (firm A on the red list, firm B on the black list), its publicity opened, then published.
A module whose dates matter overrides these with its own."""

from __future__ import annotations

import pytest

from credit import publication as publishing

from .publishing import end_period, open_publicity, rated_run


@pytest.fixture
def run(compound_a, compound_b, django_capture_on_commit_callbacks):
    return rated_run(compound_a, compound_b, django_capture_on_commit_callbacks)


@pytest.fixture
def publication(bureau_user, run):
    return open_publicity(bureau_user, run)


@pytest.fixture
def published(bureau_user, publication):
    end_period(publication)
    return publishing.publication_publish(user=bureau_user, publication=publication)
