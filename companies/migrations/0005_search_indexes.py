"""PostgreSQL: GIN indexes for searching firms and compounds by a fragment of their name or
code (portal/search.py), flat in the size of the registry."""

from django.db import migrations

from portal.search import TRIGRAM_EXTENSION, code_index_sql, name_index_sql, postgresql_only

INDEXES = [
    name_index_sql("companies_firm", "name"),
    name_index_sql("companies_compound", "name"),
    code_index_sql("companies_firm", "credit_code"),
    code_index_sql("companies_compound", "code"),
]


class Migration(migrations.Migration):
    dependencies = [("companies", "0004_names_not_formulas")]

    operations = [
        migrations.RunPython(
            postgresql_only(TRIGRAM_EXTENSION, *(create for create, _drop in INDEXES)),
            postgresql_only(*(drop for _create, drop in INDEXES)),
            elidable=False,
        ),
    ]
