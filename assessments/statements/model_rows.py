"""Model instances from the rows of a fixed SQL statement.

For the few statements that every caseworker page runs, written once per
process instead of built by the ORM on every request (``access_reads``,
``client_page_reads``): a model's columns under an alias in the statement's
SELECT, and its instance made from them as the ORM makes it.
"""

from __future__ import annotations


class ModelColumns:
    """One model's columns in a statement, under an alias, and its instance
    made from them as the ORM makes it (the database's converters applied)."""

    def __init__(self, model, alias: str, connection):
        qn = connection.ops.quote_name
        self.model, self.fields = model, model._meta.concrete_fields
        self.pk_index = self.fields.index(model._meta.pk)
        self.sql = ", ".join(f"{alias}.{qn(f.column)}" for f in self.fields)
        self.converters = []
        for i, field in enumerate(self.fields):
            col = field.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((i, col, found))

    def instance(self, row, start: int, connection):
        values = list(row[start : start + len(self.fields)])
        if values[self.pk_index] is None:  # a LEFT JOIN that found nothing
            return None
        for i, col, found in self.converters:
            for converter in found:
                values[i] = converter(values[i], col, connection)
        return self.model.from_db(connection.alias, None, values)


class SqlNames:
    """Tables and columns as a fixed statement names them, quoted for its database."""

    def __init__(self, connection):
        self.quote = connection.ops.quote_name

    def table(self, model) -> str:
        return self.quote(model._meta.db_table)

    def column(self, model, name: str) -> str:
        return self.quote(model._meta.get_field(name).column)
