"""Model instances from rows of hand-written SQL, for the few reads on the hottest paths.

Django compiles a queryset's SQL on every execution; for the row lock that every autosave and
every submission takes on deadline day (bench/deadline.py) that costs more than the query itself.
A hand-written query selects `columns(model, alias)` for each model it joins, and `instance`
turns each slice of the row into a model, through the same converters a queryset applies
(decimals and dates on SQLite, JSON everywhere), so the instance is the one the ORM would give.
"""

from functools import cache

from django.db import connection


def columns(model, alias: str) -> str:
    """`alias."column", ...` for every concrete field of `model`, in the order `instance` expects."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def width(model) -> int:
    return len(model._meta.concrete_fields)


@cache
def _converters(model, vendor: str) -> tuple:
    found = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        found.append((column, tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection))))
    return tuple(found)


def instance(model, values):
    """The instance of `model` that `values` (its columns, in `columns` order) hold; None for a
    LEFT JOIN that found nothing (a NULL primary key)."""
    pk_index = model._meta.concrete_fields.index(model._meta.pk)
    if values[pk_index] is None:
        return None
    converted = []
    for value, (column, converters) in zip(values, _converters(model, connection.vendor), strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], converted)
