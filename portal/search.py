"""Search by a fragment of a name or a code, flat in the size of the table.

People type two to four characters of a Chinese name (物业, 花园, 金山物业) or part of a
code. A plain `icontains` reads every row. On PostgreSQL each searched column has a GIN index
(made by a migration with `name_index_sql` or `code_index_sql`):

- names: `name__fragment=q` asks for the rows holding every character of q (an index over the
  column's characters as an array, `string_to_array(lower(name), NULL)`), then `ILIKE` over
  the column confirms the fragment. A trigram index (pg_trgm) cannot serve names: a fragment
  of two Chinese characters holds no trigram, so PostgreSQL would read the whole index.
  Characters are selective in Chinese; ANALYZE keeps their frequencies and the column's, so
  for a fragment nearly every row holds (物业 among firms) the planner walks the list's
  ordering index instead and stops at the page's rows. (`icontains`, `UPPER(name) LIKE`, has
  no statistics: the planner took 物业 for 32 firms of 100,000, and read and sorted them all.)
- codes (credit codes, compound codes: letters and digits, where single characters tell
  nothing): plain `icontains`, which PostgreSQL answers from a trigram index over
  `UPPER(code)` for three characters or more.

On SQLite (development, tests) both are `icontains`. Upper and lower case are the same.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import IContains

TRIGRAM_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"


def _index_name(table: str, column: str, kind: str) -> str:
    return f"{table}_{column}_{kind}"[:63]


def name_index_sql(table: str, column: str) -> tuple[str, str]:
    """(create, drop) of the index `column__fragment` uses."""
    name = _index_name(table, column, "chars")
    return (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        f'USING gin (string_to_array(lower("{column}"::text), NULL))',
        f'DROP INDEX IF EXISTS "{name}"',
    )


def code_index_sql(table: str, column: str) -> tuple[str, str]:
    """(create, drop) of the trigram index `column__icontains` uses (pg_trgm)."""
    name = _index_name(table, column, "trgm")
    return (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        f'USING gin (upper("{column}"::text) gin_trgm_ops)',
        f'DROP INDEX IF EXISTS "{name}"',
    )


def postgresql_only(*statements: str):
    """A RunPython function running SQL on PostgreSQL and nothing elsewhere."""

    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


@models.CharField.register_lookup
class Fragment(Lookup):
    """`name__fragment=q`: the rows whose column holds q, whatever the case."""

    lookup_name = "fragment"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if not isinstance(self.rhs, str) or not self.rhs:
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        chars = (
            f"string_to_array(lower({lhs_sql}::text), NULL) "
            "@> string_to_array(lower(%s::text), NULL)"
        )
        pattern = f"%{connection.ops.prep_for_like_query(self.rhs)}%"
        return (
            f"({chars} AND {lhs_sql}::text ILIKE %s)",
            [*lhs_params, self.rhs, *lhs_params, pattern],
        )
