"""An import's file is read and checked once, into a stored plan: the preview and the
confirmation never read it again. A large file is read, and a large plan applied, by a Celery
task that reports its progress to the page; the apply stays all or nothing."""

from __future__ import annotations

import contextlib
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from companies.models import Firm
from funds.imports import HouseholdImporter
from portal import imports, tabular
from portal.models import ImportJob

from ..factories import FirmFactory, UserFactory, make_credit_code

pytestmark = pytest.mark.django_db

URL = reverse("companies:firm_import")
Status = ImportJob.Status


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def firm_csv(rows: int, start: int = 1) -> bytes:
    lines = ["credit_code,name", *(f"{make_credit_code(start + n)},第{n}物业" for n in range(rows))]
    return ("\n".join(lines) + "\n").encode()


def upload(client, content: bytes, name: str = "firms.csv"):
    return client.post(URL, {"action": "upload", "file": SimpleUploadedFile(name, content)})


def token_of(client) -> str:
    return client.session["import:firms"]["token"]


def confirm(client):
    return client.post(URL, {"action": "confirm", "token": token_of(client)})


def job_of(client) -> ImportJob:
    return ImportJob.objects.get(token=token_of(client))


@pytest.fixture
def progress_seen(monkeypatch) -> list[tuple[int, int]]:
    """What the apply reports, recorded: SQLite has one writer, so the real reporter writes
    nothing there (see test_progress_is_seen_outside_the_open_import_transaction)."""
    seen: list[tuple[int, int]] = []

    @contextlib.contextmanager
    def recorder(job_id: int):
        yield lambda done, total: seen.append((done, total))

    monkeypatch.setattr(imports, "job_progress", recorder)
    return seen


def test_preview_and_confirm_never_read_the_file_again(client_of, bureau_user, monkeypatch):
    client = client_of(bureau_user)
    upload(client, firm_csv(3))

    def never(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(tabular, "open_table", never)
    monkeypatch.setattr(tabular, "read_table", never)
    for _ in range(2):
        response = client.get(f"{URL}?step=preview")
        assert response.status_code == 200 and response.context["result"].created == 3
    response = confirm(client)
    assert response.status_code == 302 and response["Location"] == URL
    assert Firm.objects.count() == 3


def test_a_100000_row_csv_is_read_by_a_worker_and_confirm_answers_at_once(
    client_of, bureau_user, settings, django_capture_on_commit_callbacks
):
    content = firm_csv(100_000)
    assert len(content) <= settings.IMPORT_MAX_BYTES
    client = client_of(bureau_user)
    started = time.perf_counter()
    # The reading is queued once the upload committed; here the task runs in-process.
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)
    read_in = time.perf_counter() - started
    assert response.status_code == 302

    started = time.perf_counter()
    response = client.get(f"{URL}?step=preview")
    preview_in = time.perf_counter() - started
    assert preview_in < 2, f"the preview took {preview_in:.1f} s"
    result = response.context["result"]
    assert result.ok and result.created == 100_000
    assert len(result.preview_rows) == imports.PREVIEW_LIMIT

    started = time.perf_counter()
    with django_capture_on_commit_callbacks() as queued:
        response = confirm(client)
    confirm_in = time.perf_counter() - started
    print(
        f"100,000 rows: read and checked in {read_in:.1f} s (worker), "
        f"preview in {preview_in:.2f} s, confirm answered in {confirm_in:.2f} s"
    )
    assert confirm_in < 2, f"the confirmation took {confirm_in:.1f} s"
    assert response.status_code == 302 and response["Location"] == f"{URL}?step=preview"
    assert len(queued) == 1  # the apply, for a worker
    job = job_of(client)
    assert job.status == Status.QUEUED and job.total == 100_000
    assert Firm.objects.count() == 0
    page = client.get(f"{URL}?step=preview")
    assert page.status_code == 200 and b"<progress" in page.content


def test_a_large_plan_is_applied_by_a_task_that_reports_progress(
    client_of, bureau_user, settings, django_capture_on_commit_callbacks, progress_seen
):
    settings.IMPORT_INLINE_MAX_ROWS = 100
    client = client_of(bureau_user)
    upload(client, firm_csv(1200))
    assert progress_seen == [(500, 1200), (1000, 1200)]  # rows checked while reading
    progress_seen.clear()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = confirm(client)
    assert response.status_code == 302 and len(queued) == 1
    job = job_of(client)
    assert job.status == Status.DONE and (job.done, job.total) == (1200, 1200)
    assert Firm.objects.count() == 1200
    assert (
        Firm.objects.get(credit_code=make_credit_code(1)).history.get().history_user == bureau_user
    )
    done = [done for done, _total in progress_seen]
    assert len(done) > 1 and done == sorted(done) and done[-1] == 1200

    # Delivered twice (late acknowledgement after a lost worker): the second does nothing.
    imports.import_job_apply(job_id=job.pk)
    assert Firm.objects.count() == 1200

    response = client.get(f"{URL}?step=preview")  # the page the bar reloads
    assert response.status_code == 302 and response["Location"] == URL
    assert "import:firms" not in client.session


def test_a_conflict_met_by_the_task_writes_nothing_and_names_the_row(
    client_of, bureau_user, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 100
    client = client_of(bureau_user)
    upload(client, firm_csv(300))
    FirmFactory(credit_code=make_credit_code(150))  # registered meanwhile by someone else
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client)
    job = job_of(client)
    assert job.status == Status.FAILED
    assert Firm.objects.count() == 1
    response = client.get(f"{URL}?step=preview")
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(151, "credit_code")]
    assert 'value="confirm"' not in response.content.decode()


def test_a_file_with_thousands_of_errors_shows_the_first_thousand_and_counts_all(
    client_of, bureau_user
):
    client = client_of(bureau_user)
    content = "credit_code,name\n" + "".join(f"BAD{n},名称\n" for n in range(1500))
    upload(client, content.encode())
    response = client.get(f"{URL}?step=preview")
    result = response.context["result"]
    assert (result.error_count, len(result.errors)) == (1500, imports.ERROR_LIMIT)
    html = response.content.decode()
    assert "1500" in html and str(1500 - imports.ERROR_LIMIT) in html
    assert html.count("<tr>") < imports.ERROR_LIMIT + 10


def test_the_progress_partial_polls_while_importing_and_reloads_the_page_at_the_end(
    client_of, bureau_user, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    client = client_of(bureau_user)
    upload(client, firm_csv(20))
    with django_capture_on_commit_callbacks() as queued:
        confirm(client)
    response = client.get(f"{URL}?step=progress", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "hx-get" in html and "<progress" in html and "HX-Refresh" not in response
    queued[0]()  # the worker runs the apply
    response = client.get(f"{URL}?step=progress", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "hx-get" not in response.content.decode()
    assert Firm.objects.count() == 20


def test_a_large_file_is_read_by_a_task_with_the_page_showing_the_reading(
    client_of, bureau_user, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_BYTES = 100
    client = client_of(bureau_user)
    with django_capture_on_commit_callbacks() as queued:
        response = upload(client, firm_csv(20))
    assert response.status_code == 302 and len(queued) == 1
    job = job_of(client)
    assert job.status == Status.READING
    [stored] = (settings.MEDIA_ROOT / "imports").iterdir()
    assert stored.name == f"{job.token}.csv"  # a random name, not the client's
    page = client.get(f"{URL}?step=preview")
    assert page.status_code == 200 and b"<progress" in page.content
    assert 'value="confirm"' not in page.content.decode()
    queued[0]()
    job.refresh_from_db()
    assert job.status == Status.READY and job.to_create == 20
    assert list((settings.MEDIA_ROOT / "imports").iterdir()) == []  # read once, then deleted
    assert client.get(f"{URL}?step=preview").context["result"].created == 20


def test_cancel_before_the_worker_starts_leaves_it_nothing_to_do(
    client_of, bureau_user, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    client = client_of(bureau_user)
    upload(client, firm_csv(20))
    job = job_of(client)
    with django_capture_on_commit_callbacks() as queued:
        confirm(client)
    assert client.post(URL, {"action": "cancel"}).status_code == 302
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    queued[0]()
    assert Firm.objects.count() == 0


def test_a_broker_that_is_down_fails_the_job_with_a_message_not_a_500(
    client_of, bureau_user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from portal import tasks

    settings.IMPORT_INLINE_MAX_ROWS = 10
    client = client_of(bureau_user)
    upload(client, firm_csv(20))

    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.import_apply, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client)
    assert response.status_code in (200, 302)
    job = job_of(client)
    assert job.status == Status.FAILED
    page = client.get(f"{URL}?step=preview")
    assert page.status_code == 200 and page.context["result"].errors
    assert Firm.objects.count() == 0


def test_another_users_job_is_never_shown_or_confirmed(client_of, bureau_user):
    client = client_of(bureau_user)
    upload(client, firm_csv(3))
    token = token_of(client)
    colleague = UserFactory(role=bureau_user.role, username="bureau2")
    client = client_of(colleague)
    session = client.session
    session["import:firms"] = {"token": token}
    session.save()
    assert client.get(f"{URL}?step=preview").status_code == 302
    assert client.post(URL, {"action": "confirm", "token": token}).status_code == 302
    assert Firm.objects.count() == 0


def test_an_importer_with_more_than_a_user_is_rebuilt_from_ids(compound_a, bureau_user):
    importer = HouseholdImporter(compound=compound_a, user=bureau_user)
    kind, params = imports.importer_kind(importer)
    job = ImportJob(kind=kind, params=params, user=bureau_user)
    rebuilt = imports.importer_from_job(job)
    assert type(rebuilt) is HouseholdImporter
    assert rebuilt.compound == compound_a and rebuilt.user == bureau_user
    assert rebuilt.name == importer.name


def test_a_job_naming_something_else_than_an_importer_is_refused(bureau_user):
    with pytest.raises(TypeError):
        imports.importer_from_job(ImportJob(kind="os.system", params={}, user=bureau_user))


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_outside_the_open_import_transaction(bureau_user):
    job = ImportJob.objects.create(
        kind="companies.imports.FirmImporter",
        user=bureau_user,
        name="firms.csv",
        ext="csv",
        status=Status.IMPORTING,
        total=10,
    )
    other = connection.copy()
    try:
        with transaction.atomic(), imports.job_progress(job.pk) as progress:
            Firm.objects.create(credit_code=make_credit_code(1), name="东方物业")
            progress(4, 10)
            with other.cursor() as cursor:
                cursor.execute(
                    f"SELECT done, total FROM {ImportJob._meta.db_table} WHERE id = %s",  # noqa: S608
                    [job.pk],
                )
                assert cursor.fetchone() == (4, 10)
                cursor.execute("SELECT COUNT(*) FROM companies_firm")
                assert cursor.fetchone() == (0,)  # the import itself is not visible yet
    finally:
        other.close()


@pytest.mark.worker
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker")
@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_read_and_applied_by_a_real_worker(
    celery_worker, client_of, bureau_user, settings
):
    settings.IMPORT_INLINE_MAX_BYTES = 100
    settings.IMPORT_INLINE_MAX_ROWS = 10
    client = client_of(bureau_user)

    def settled() -> ImportJob:
        deadline = time.monotonic() + 60
        while True:
            job = job_of(client)
            if job.status not in ImportJob.RUNNING or time.monotonic() > deadline:
                return job
            time.sleep(0.2)

    assert upload(client, firm_csv(300)).status_code == 302
    job = settled()
    assert job.status == Status.READY and job.to_create == 300
    assert confirm(client).status_code == 302
    job = settled()
    assert job.status == Status.DONE and (job.done, job.total) == (300, 300)
    assert Firm.objects.count() == 300
