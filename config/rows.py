"""Model instances from rows of hand-written SQL, for the few reads on the hottest paths.

Django compiles a queryset's SQL on every execution; for the row lock that every autosave and
every submission takes on deadline day (bench/deadline.py) that costs more than the query itself.
A hand-written query selects `columns(model, alias)` for each model it joins, and `instance`
turns each slice of the row into a model, through the same converters a queryset applies
(decimals and dates on SQLite, JSON everywhere), so the instance is the one the ORM would give.
`update` writes fields back the way Model.save(update_fields=...) does.
"""

from functools import cache

from django.db import DatabaseError, connection

try:
    from django.db.backends.postgresql.base import ServerBindingCursor
except ImportError:  # no psycopg: SQLite only
    ServerBindingCursor = None


def cursor():
    """The cursor for this hand-written SQL: `with rows.cursor() as cursor:`.

    On PostgreSQL its statements are prepared (server-side binding, psycopg's prepare=True), so each
    is planned once per connection instead of on every request: planning these joins costs
    PostgreSQL several times what running them does. Queries are logged and counted as Django's
    own. Django's cursor instead elsewhere, when connections are not kept between requests
    (CONN_MAX_AGE=0: nothing to reuse), and when the settings turn prepared statements off
    (DATABASE_PREPARED_STATEMENTS=0: a connection pooler in transaction mode)."""
    if connection.vendor != "postgresql" or ServerBindingCursor is None:
        return connection.cursor()
    if connection.settings_dict.get("CONN_MAX_AGE", 0) == 0:  # a connection per request: nothing to reuse
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:  # DATABASE_PREPARED_STATEMENTS=0
        return connection.cursor()
    raw = _Prepared(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


if ServerBindingCursor is not None:

    class _Prepared(ServerBindingCursor):
        def execute(self, query, params=None, **options):
            return super().execute(query, params, prepare=True, **options)


def table(model) -> str:
    """The model's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    """The column of the model's field `name`, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


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


def update(instance, fields: list[str], *, where: dict | None = None, then: tuple[tuple[str, list], ...] = ()) -> bool:
    """Write these fields of `instance` to its row: Model.save(update_fields=fields) without a query
    to compile (no signals: Guichet has none on its models).

    Without `where`, DatabaseError when the row is gone. With `where` ({field: value}), the row is
    written only if it still holds those values (compare and swap); False when it does not.

    `then` (PostgreSQL only): statements, each (sql, params), that write other rows in the same
    statement, so without a transaction, and only if this row is written: each reads the written
    row's primary key as `(SELECT pk FROM written)`. The row is locked before they write."""
    model, meta = type(instance), instance._meta
    if then and connection.vendor != "postgresql":
        raise ValueError("rows.update(then=...) needs PostgreSQL (data-modifying WITH)")
    params = []
    for name in fields:
        field = meta.get_field(name)
        params.append(field.get_db_prep_save(field.pre_save(instance, False), connection))
    params.append(instance.pk)
    for name, value in (where or {}).items():
        params.append(meta.get_field(name).get_db_prep_value(value, connection))
    sql = _update_sql(
        model, tuple(fields), tuple(where or ()), tuple(statement for statement, _ in then), connection.vendor
    )
    with cursor() as statement:
        statement.execute(sql, params + [p for _, more in then for p in more])
        written = statement.fetchone()[0] == 1 if then else statement.rowcount == 1
    if not written and where is None:
        raise DatabaseError(f"{meta.label} {instance.pk}: no row to update")
    return written


@cache
def _update_sql(model, fields: tuple[str, ...], where: tuple[str, ...], then: tuple[str, ...], vendor: str) -> str:
    assignments = ", ".join(f"{column(model, name)} = %s" for name in fields)
    conditions = " AND ".join(f"{column(model, name)} = %s" for name in (model._meta.pk.name, *where))
    sql = f"UPDATE {table(model)} SET {assignments} WHERE {conditions}"
    if not then:
        return sql
    more = "".join(f", then{i} AS ({statement})" for i, statement in enumerate(then))
    return f"WITH written AS ({sql} RETURNING {column(model, model._meta.pk.name)} AS pk){more} SELECT count(*) FROM written"
