"""An assessment's version-checked UPDATE, as one fixed SQL statement per set
of fields written.

Every save of the assessment form (and every autosave) compares and bumps the
version in the same UPDATE that writes the assessment's own fields
(``Assessment.save_checked``). The ORM built that statement, with its ``F()``
expression, on every save; it is written once per process and set of fields
here, from the model's table and columns. Every value is a parameter,
prepared by its field as the ORM prepares it.
"""

from __future__ import annotations

from django.db import connections, router

_statements: dict[tuple[str, tuple[str, ...]], str] = {}


def _sql(connection, meta, names: tuple[str, ...]) -> str:
    qn = connection.ops.quote_name
    version = qn(meta.get_field("version").column)
    sets = ", ".join(f"{qn(meta.get_field(name).column)} = %s" for name in names)
    return (
        f"UPDATE {qn(meta.db_table)} SET {version} = {version} + 1, {sets} "  # noqa: S608 (names only)
        f"WHERE {qn(meta.pk.column)} = %s AND {version} = %s"
    )


def update_if_version(assessment, expected_version: int, names: tuple[str, ...]) -> bool:
    """Write the fields ``names`` of ``assessment`` and add one to its version
    in the database, only if its version there is still ``expected_version``.
    Whether it was (one row written)."""
    model = type(assessment)
    connection = connections[router.db_for_write(model)]
    sql = _statements.get((connection.alias, names))
    if sql is None:
        sql = _statements[connection.alias, names] = _sql(connection, model._meta, names)
    fields = [model._meta.get_field(name) for name in names]
    params = [f.get_db_prep_save(getattr(assessment, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, assessment.pk, expected_version])
        return cursor.rowcount == 1
