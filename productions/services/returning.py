"""UPDATE … RETURNING: a write and the read of what it wrote, in one statement.

Both databases the app runs on have it (PostgreSQL; SQLite since 3.35). The
busiest write, a tick, uses it instead of locking a row, reading it and saving
it: the UPDATE locks the row itself and hands back the values it wrote.
"""

import functools

from django.db import connections
from django.db.models import sql


def update_returning(queryset, fields=None, **values):
    """queryset.update(**values), returning the updated rows as they are now,
    as model instances (an empty list when none matched): every field, or
    only `fields` (names; the others then load when read).

    Filter on the model's own columns only (no joins): PostgreSQL then checks
    the filter again on a row another transaction changed while this one
    waited for its lock (so a row deleted meanwhile is not updated)."""
    model = queryset.model
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    text, params = query.get_compiler(queryset.db).as_sql()
    if not text:
        return []
    connection = connections[queryset.db]
    if fields is not None:
        # In the model's order, as from_db() takes a subset.
        wanted = {model._meta.pk.name, *fields}
        fields = [field for field in model._meta.concrete_fields if field.name in wanted]
    else:
        fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    text = f"{text} RETURNING {', '.join(quote(field.column) for field in fields)}"
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        rows = cursor.fetchall()
    return from_rows(model, fields, rows, queryset.db)


def from_rows(model, fields, rows, using):
    """Model instances from raw rows holding `fields` (concrete fields, in
    the model's order), converted as the ORM reads them (SQLite hands back
    text for dates)."""
    connection = connections[using]
    converters = _converters(model, tuple(fields), using)
    names = [field.attname for field in fields]
    objects = []
    for row in rows:
        converted = []
        for value, (found, column) in zip(row, converters, strict=True):
            for converter in found:
                value = converter(value, column, connection)
            converted.append(value)
        objects.append(model.from_db(using, names, converted))
    return objects


@functools.lru_cache(maxsize=64)
def _converters(model, fields, using):
    """Each field's converters (those of the database and of the field) with
    its column: the same for every call with the same fields. (The
    database's converters are its methods; each is called with the
    connection in use.)"""
    connection = connections[using]
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((tuple(found), column))
    return tuple(converters)
