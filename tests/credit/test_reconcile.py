"""A rating run is reconciled, not trusted: a run without progress gets exactly its unrated
firms queued again, is finished when only its finish was lost, and fails with a reason a
clerk can read after a bounded number of rounds. (In process the queued chunks run at once;
tests/credit/test_faults.py kills the real broker, worker and database.)"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from credit import services
from credit.choices import RunStatus
from credit.models import Rating, RatingRun
from credit.tasks import rate_chunk, retry_countdown
from portal.celery import app

from .helpers import rate
from .test_batch import YEAR, make_firms, new_run, snapshot

pytestmark = pytest.mark.django_db


def later(settings, run: RatingRun):
    """A moment when `run` has made no progress for longer than a chunk can take."""
    return timezone.now() + timedelta(seconds=settings.CREDIT_RUN_STALL_SECONDS + 1)


def test_a_run_without_progress_gets_exactly_its_unrated_firms_queued_and_matches_a_clean_run(
    settings, django_capture_on_commit_callbacks
):
    firm_ids = make_firms(25)
    clean = rate(YEAR, django_capture_on_commit_callbacks)
    stalled = new_run(total=25)  # its worker died after one chunk; the others were lost
    services.rating_chunk_rate(run_id=stalled.pk, firm_ids=firm_ids[:7])
    stalled.refresh_from_db()

    assert services.rating_runs_reconcile(now=later(settings, stalled)) == {stalled.pk: "queued"}

    stalled.refresh_from_db()
    assert (stalled.status, stalled.done) == (RunStatus.FINISHED, 25)
    assert snapshot(stalled) == snapshot(clean)


def test_a_run_that_made_progress_within_the_stall_time_is_left_alone(settings):
    firm_ids = make_firms(10)
    run = new_run(total=10)
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[:4])
    run.refresh_from_db()
    assert run.progressed_at is not None

    soon = run.progressed_at + timedelta(seconds=settings.CREDIT_RUN_STALL_SECONDS - 1)
    assert services.rating_runs_reconcile(now=soon) == {}
    assert Rating.objects.filter(run=run).count() == 4


def test_a_run_whose_finish_was_lost_is_finished_with_its_ranks(settings):
    firm_ids = make_firms(6)
    run = new_run(total=6)
    services.rate_firms(run=run, firm_ids=firm_ids)  # rated, but nobody finished the run
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING

    assert services.rating_runs_reconcile(now=later(settings, run)) == {run.pk: "finished"}
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED
    assert sorted(Rating.objects.filter(run=run).values_list("rank", flat=True)) == list(
        range(1, 7)
    )


def test_after_the_last_round_without_progress_the_run_fails_with_a_reason_a_clerk_can_read(
    settings, django_capture_on_commit_callbacks
):
    make_firms(5)
    run = new_run(total=5)
    RatingRun.objects.filter(pk=run.pk).update(
        stalled_rounds=settings.CREDIT_RUN_MAX_ROUNDS, error="OperationalError: 数据库连接中断"
    )
    run.refresh_from_db()

    assert services.rating_runs_reconcile(now=later(settings, run)) == {run.pk: "failed"}

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.finished_at is not None
    assert "评价中断" in run.error and "2023" in run.error
    assert "数据库连接中断" in run.error  # the last problem seen is kept in the reason
    # The year is free again: the bureau starts a new run.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.rating_run_start(user=None, year=YEAR)
    again.refresh_from_db()
    assert again.status == RunStatus.FINISHED


def test_of_two_reconcilers_looking_at_the_same_round_one_queues_the_firms(settings):
    make_firms(3)
    run = new_run(total=3)
    first, second = RatingRun.objects.get(pk=run.pk), RatingRun.objects.get(pk=run.pk)
    RatingRun.objects.filter(pk=run.pk).update(stalled_rounds=0)

    # The first's round is claimed and its chunk runs (in process: at once, to the end).
    assert services.rating_run_reconcile(run=first, now=later(settings, run)) == "queued"
    assert services.rating_run_reconcile(run=second, now=later(settings, run)) == "busy"


def test_the_bureau_resumes_a_run_on_its_page_and_others_may_not(
    client_of, bureau_user, street_officer
):
    firm_ids = make_firms(8)
    run = new_run(total=8)
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids[:3])
    url = reverse("credit:run_resume", args=[run.pk])

    assert client_of(street_officer).post(url).status_code in (403, 404)
    assert client_of(bureau_user).get(url).status_code == 405
    page = client_of(bureau_user).post(url, follow=True)

    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED
    assert "5 家未评企业已重新排队" in page.content.decode()
    again = client_of(bureau_user).post(url, follow=True)  # it has ended meanwhile
    assert "该评价批次未在进行中" in again.content.decode()


def test_the_run_page_shows_the_last_progress_the_last_problem_and_the_resume_action(
    client_of, bureau_user
):
    run = new_run(total=8)
    RatingRun.objects.filter(pk=run.pk).update(
        stalled_rounds=2, error="任务队列（Redis）无法连接: ConnectionError"
    )
    page = client_of(bureau_user).get(reverse("credit:run_detail", args=[run.pk])).content.decode()

    assert "最近进展" in page
    assert "已重新排队 2 次" in page
    assert "最近的问题" in page and "任务队列（Redis）无法连接" in page
    assert reverse("credit:run_resume", args=[run.pk]) in page
    assert "评价批次失败" not in page


# --- retries -----------------------------------------------------------------------------


def test_a_chunk_waits_longer_each_try_never_zero_and_over_a_minute_in_all(settings):
    waits = [retry_countdown(n) for n in range(settings.CREDIT_CHUNK_RETRIES)]

    assert all(wait >= settings.CREDIT_CHUNK_RETRY_FLOOR_SECONDS for wait in waits)
    assert all(wait <= settings.CREDIT_CHUNK_RETRY_CAP_SECONDS * 1.25 for wait in waits)
    floors = [
        min(
            settings.CREDIT_CHUNK_RETRY_CAP_SECONDS,
            settings.CREDIT_CHUNK_RETRY_FLOOR_SECONDS * 2**n,
        )
        for n in range(settings.CREDIT_CHUNK_RETRIES)
    ]
    assert floors == [2, 4, 8, 16, 30, 30]
    assert sum(waits) > 60


def test_an_outage_past_the_retries_is_noted_and_left_to_the_reconciler(on_a_real_worker):
    run = new_run(total=4)

    rate_chunk.on_failure(
        OperationalError("server closed the connection"), "t", (run.pk, [1, 2]), {}, None
    )

    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    assert "2 家企业" in run.error and "server closed the connection" in run.error


def test_any_other_error_of_a_chunk_fails_the_run_with_it(on_a_real_worker):
    run = new_run(total=4)

    rate_chunk.on_failure(ZeroDivisionError("division by zero"), "t", (run.pk, [1]), {}, None)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == "ZeroDivisionError: division by zero"


# --- manage.py rate ------------------------------------------------------------------------


def test_rate_exits_3_and_says_so_when_the_run_is_still_running_at_its_timeout(capsys):
    firm_ids = make_firms(4)
    run = new_run(total=5)  # one firm more than will ever be rated: it cannot finish
    services.rating_chunk_rate(run_id=run.pk, firm_ids=firm_ids)

    with pytest.raises(CommandError, match="still running") as raised:
        call_command("rate", "--year", str(YEAR), "--resume", "--timeout", "0")

    assert raised.value.returncode == 3
    assert "--resume" in str(raised.value)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING


@pytest.fixture
def on_a_real_worker():
    """Celery's configuration as on a worker with a broker (tasks not run in process)."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def breakdowns_refused():
    """Every breakdown insert fails, as a bug would (not an outage): a trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION 'breakdown refused (test)'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse BEFORE INSERT ON credit_ratingbreakdown "
                "FOR EACH STATEMENT EXECUTE FUNCTION test_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse BEFORE INSERT ON credit_ratingbreakdown "
                "BEGIN SELECT RAISE(ABORT, 'breakdown refused (test)'); END"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS test_refuse ON credit_ratingbreakdown")
            cursor.execute("DROP FUNCTION IF EXISTS test_refuse()")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS test_refuse")


@pytest.mark.django_db(transaction=True)
def test_rate_exits_2_with_the_reason_when_the_run_failed(breakdowns_refused, request):
    if os.environ.get("REDIS_URL"):
        request.getfixturevalue("celery_worker")  # the chunks go through the broker to it
    make_firms(2)

    with pytest.raises(CommandError, match="breakdown refused") as raised:
        call_command("rate", "--year", str(YEAR), "--timeout", "30")

    assert raised.value.returncode == 2
    assert RatingRun.objects.get().status == RunStatus.FAILED
