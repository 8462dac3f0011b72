"""Register numbers of reply documents: 索引号 and 发文字号, from per-year counters.

Call only inside the sign-off transaction: the counter row stays locked until it
commits, so a concurrent sign-off waits and takes the next number, and a sign-off
that fails rolls its number back (no repeats, no gaps)."""

from __future__ import annotations

from django.db import transaction

from .choices import ProposalKind, SequenceKind
from .models import RegisterCounter


def next_number(*, kind: str, year: int) -> int:
    """Take the next number of a (sequence, year); the caller's transaction holds the lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the sign-off transaction.")
    # The first sign-off of a year creates the row; a concurrent one finds it there
    # (ignore_conflicts) and both then queue on the row lock below.
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(kind=kind, year=year, last=0)], ignore_conflicts=True
    )
    # Lock the counter: two sign-offs reading the same `last` would issue one number twice.
    counter = RegisterCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def doc_sequence_kind(proposal_kind: str) -> str:
    return SequenceKind.DOC_NPC if proposal_kind == ProposalKind.NPC else SequenceKind.DOC_CPPCC


def format_index_no(*, organisation_code: str, year: int, seq: int) -> str:
    """1120200MB17140993/2024-05042"""
    return f"{organisation_code}/{year}-{seq:05d}"


def format_doc_no(*, prefix: str, year: int, seq: int) -> str:
    """吉市住建提字〔2024〕22号"""
    return f"{prefix}〔{year}〕{seq}号"
