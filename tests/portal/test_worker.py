"""A task through the real broker to a real Celery worker, writing to the real database.

Runs only with REDIS_URL set (CI sets it). The worker runs in a thread of this process, on a
queue of its own, so that neither another xdist process's worker nor a developer's running
worker can take this test's task and run it against another database.
"""

from __future__ import annotations

import os

import pytest

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker"),
]


@pytest.mark.django_db(transaction=True)
def test_coverage_snapshot_task_runs_on_a_real_worker(celery_worker, compound_a, compound_b):
    from companies.tasks import coverage_snapshot_take
    from portal.models import CoverageSnapshot

    result = coverage_snapshot_take.delay("2026-06-30")
    written = result.get(timeout=30)

    assert result.status == "SUCCESS"
    # The city, two districts and two streets (the streets of compounds A and B).
    assert written == 5
    rows = CoverageSnapshot.objects.filter(date="2026-06-30")
    assert rows.count() == written
    city = rows.get(scope=CoverageSnapshot.Scope.CITY)
    assert city.compounds == 2
    assert city.households == compound_a.households + compound_b.households
    street_a = rows.get(street=compound_a.community.street)
    assert street_a.compounds == 1

    # Safe to run twice: the second run updates the day's rows, it does not add more.
    assert coverage_snapshot_take.delay("2026-06-30").get(timeout=30) == written
    assert CoverageSnapshot.objects.count() == written
