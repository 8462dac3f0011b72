"""Model fields of our own."""

from __future__ import annotations

from django.db import models


class JSONDocumentField(models.JSONField):
    """JSON stored as a document that is written once and read whole, never queried inside:
    PostgreSQL's `json` type (the text, checked to be JSON) rather than `jsonb`, whose
    conversion to its binary form costs more than the rest of writing the row. Elsewhere
    (SQLite) the same as JSONField. Lookups into the document (`field__key`) are not
    supported on PostgreSQL."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):
            return value  # psycopg2 decodes the `json` type itself
        return super().from_db_value(value, expression, connection)
