"""Figures kept per community and recounted from marks the database writes (issue 14).

A country's page cannot count 600,000 compounds per request. An app that shows figures per
area keeps them per community in its own tables, and the database marks the community of
every row written to the tables the figures count (`mark_triggers`: triggers on PostgreSQL
and on SQLite, whoever writes: a form, an import in bulk, a test's factory, COPY). Before the
figures are read, `refresh` recounts the marked communities and deletes the marks it saw.
The figures read are therefore always those of the committed rows.

A write not committed yet when a recount runs keeps its mark (the recount cannot see it) and
is counted by the next read; on PostgreSQL one recount of a kind runs at a time (an advisory
lock), so an older count never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, models, transaction
from django.db.models import Max

# Communities recounted per query, and marks read at a time.
MARKS_PER_RECOUNT = 2000
MARKS_READ = 20_000


def refresh(marks: type[models.Model], recount: Callable[[set[int]], None], *, lock: int) -> None:
    """Recount the communities named by `marks` (a model with `community_id`), each once
    however many marks name it, and delete exactly the marks read. One query when nothing is
    marked. Returns at once when another recount of the same `lock` runs: the reader then
    sees the figures as they stood when that one began."""
    if not marks.objects.exists():
        return
    with transaction.atomic():
        if not _lock(lock):
            return
        # The marks of the writes committed by now: their rows are seen by the recount that
        # follows. A mark deleted is always one read here, never one committed since.
        top = marks.objects.aggregate(top=Max("pk"))["top"]
        unread = marks.objects.filter(pk__lte=top).order_by("pk")
        while batch := list(unread.values_list("pk", "community_id")[:MARKS_READ]):
            communities = sorted({community_id for _pk, community_id in batch})
            for chunk in _chunks(communities, MARKS_PER_RECOUNT):
                recount(set(chunk))
            for chunk in _chunks([pk for pk, _community_id in batch], 1000):
                marks.objects.filter(pk__in=chunk).delete()


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _lock(key: int) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite runs one writing transaction at a time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return cursor.fetchone()[0]


def mark_triggers(
    vendor: str, *, name: str, marks: str, table: str, community: str, watched: list[str]
) -> tuple[list[str], list[str]]:
    """The SQL (forward, reverse) of the triggers that insert into the table `marks` the
    community of each row inserted into or deleted from `table`, and the old and the new
    community of a row whose `watched` columns change. `community` is a SELECT of the
    community id with `{row}` for NEW or OLD, e.g. "SELECT {row}.community_id"."""
    insert = f"INSERT INTO {marks} (community_id) {community};"
    old, new = insert.format(row="OLD"), insert.format(row="NEW")
    if vendor == "postgresql":
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched)
        forward = [
            f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP <> 'DELETE' THEN {new} END IF;
              IF TG_OP <> 'INSERT' THEN {old} END IF;
              RETURN NULL;
            END $$""",
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
            f"CREATE TRIGGER {name}_moved AFTER UPDATE OF {', '.join(watched)} ON {table} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}()",
        ]
        reverse = [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"DROP TRIGGER IF EXISTS {name}_moved ON {table}",
            f"DROP FUNCTION IF EXISTS {name}()",
        ]
        return forward, reverse
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
    forward = [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {new} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {old} END",
        f"CREATE TRIGGER {name}_moved AFTER UPDATE OF {', '.join(watched)} ON {table} "
        f"WHEN {changed} BEGIN {old} {new} END",
    ]
    reverse = [f"DROP TRIGGER IF EXISTS {name}_{kind}" for kind in ("insert", "delete", "moved")]
    return forward, reverse
