"""Register numbers under concurrent sign-offs: no repeats, no gaps (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from proposals import numbering

from .conftest import make_proposal, sign, to_review

SIGN_OFFS = 8


def test_formats():
    assert (
        numbering.format_index_no(organisation_code="1120200MB17140993", year=2024, seq=5042)
        == "1120200MB17140993/2024-05042"
    )
    assert (
        numbering.format_doc_no(prefix="吉市住建提字", year=2024, seq=22)
        == "吉市住建提字〔2024〕22号"
    )


@pytest.mark.django_db(transaction=True)
def test_next_number_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        numbering.next_number(kind="index", year=2024)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_offs_never_repeat_or_skip_a_number(
    register, bureau_user, division, division_head
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; row locks are exercised on PostgreSQL only")
    replies = [
        to_review(bureau_user, make_proposal(bureau_user, number=n), division)
        for n in range(1, SIGN_OFFS + 1)
    ]
    barrier = threading.Barrier(SIGN_OFFS)
    results: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def sign_off(reply):
        try:
            barrier.wait()
            signed = sign(division_head, reply, written_on=dt.date(2024, 6, 12))
            results.append((signed.index_no, signed.doc_no))
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_off, args=(r,)) for r in replies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    index_nos = sorted(i for i, _ in results)
    doc_nos = {d for _, d in results}
    assert index_nos == [f"1120200MB17140993/2024-{n:05d}" for n in range(1, SIGN_OFFS + 1)]
    assert doc_nos == {f"吉市住建提字〔2024〕{n}号" for n in range(1, SIGN_OFFS + 1)}
