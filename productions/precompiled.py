"""Page queries built and compiled once per process, then run with new values.

Building a queryset (filter, annotate, select_related: each a clone) and
compiling it to SQL costs Python more than the database takes to run the
small queries a page makes: the production page spent a third of its time
there. A `Precompiled` query is built once per variant and database from
stand-in values, and compiled; each call runs that SQL with the caller's
values where the stand-ins were, and turns the rows into model instances the
ORM's own way (select_related objects, annotations, fetch mode). On
PostgreSQL the statement is also PREPAREd, once per connection (prepared.py).

Only values that reach the SQL as parameters may change between calls: ints
(ids), strings (slugs) and lists of ints (a list's length is part of the
variant). Anything that changes the shape of the query (a filter present or
not) is a variant, passed to `build` as is.
"""

import copy
from itertools import count

from django.db import models

from .prepared import prepared, run_once_more_if_lost

_numbers = count(1)


def _stand_in(value):
    """A value of the same kind as `value` that no row and no caller uses."""
    if isinstance(value, (list, tuple)):
        return [_stand_in(0) for _ in value]
    number = next(_numbers)
    if isinstance(value, int):
        return -(7 * 10**14) - number
    if isinstance(value, str):
        return f"\x1fprecompiled-{number}\x1f"
    raise TypeError(f"A precompiled query takes ints, strings and lists of ints, not {value!r}.")


_INTS = {"Int2": "smallint", "Int4": "integer", "Int8": "bigint"}


def _pg_type(param):
    """The PostgreSQL type to PREPARE a parameter like `param` as: the one
    Django asked for (a bare `%s AS name` would be text otherwise), else
    `unknown`, which PostgreSQL infers from where the parameter is used;
    None for a kind not prepared here."""
    if isinstance(param, int):  # bool too
        return _INTS.get(type(param).__name__, "unknown")
    if isinstance(param, str):
        return "unknown"
    return None


def _slot(where, param):
    """(name, index) of the value a parameter stands in for, or (None, None)
    for a constant of the query (which may be of any kind)."""
    try:
        return where.get(param, (None, None))
    except TypeError:  # unhashable: not a stand-in
        return None, None


def _shape(values):
    return tuple(
        (name, len(value) if isinstance(value, (list, tuple)) else type(value).__name__)
        for name, value in sorted(values.items())
    )


class Precompiled:
    """`build(*variant, **values)` returns the queryset; calling the
    Precompiled with the same arguments returns its rows as a list."""

    def __init__(self, build):
        self.build = build
        self.compiled = {}

    def __call__(self, *variant, using="default", fetch_mode=models.FETCH_ONE, **values):
        key = (using, variant, _shape(values))
        if key not in self.compiled:
            self.compiled[key] = self._compile(variant, using, values)
        queryset, state, sql, slots, types = self.compiled[key]
        params = [
            param if name is None else values[name] if index is None else values[name][index]
            for name, index, param in slots
        ]
        # The compiler ModelIterable asks the query for: already set up, and
        # answering with the SQL and the new parameters.
        query = copy.copy(queryset.query)
        compiler = query.get_compiler(using=using)
        compiler.__dict__.update(state)
        query.get_compiler = lambda *args, **kwargs: compiler
        rows = type(queryset)(model=queryset.model, query=query, using=using)
        if types is None:
            compiler.as_sql = lambda *args, **kwargs: (sql, params)
            return list(rows.fetch_mode(fetch_mode))
        # On PostgreSQL, planned once per connection too.
        connection = compiler.connection
        compiler.as_sql = lambda *args, **kwargs: prepared(connection, sql, params, types)
        return run_once_more_if_lost(connection, lambda: list(rows.all().fetch_mode(fetch_mode)))

    def _compile(self, variant, using, values):
        stand_ins = {name: _stand_in(value) for name, value in values.items()}
        where = {}
        for name, value in stand_ins.items():
            if isinstance(value, list):
                where.update({part: (name, index) for index, part in enumerate(value)})
            else:
                where[value] = (name, None)
        queryset = self.build(*variant, **stand_ins).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = tuple((*_slot(where, param), param) for param in params)
        # Every stand-in must be a parameter: one written into the SQL itself
        # (or dropped) could not be replaced.
        missing = set(where) - set(params)
        if missing or any(str(value) in sql for value in where):
            raise ValueError("A precompiled query's values must all be SQL parameters.")
        state = {
            name: getattr(compiler, name)
            for name in ("select", "klass_info", "annotation_col_map", "col_count")
        }
        state["has_extra_select"] = compiler.has_extra_select
        types = None
        if compiler.connection.vendor == "postgresql":
            types = tuple(_pg_type(param) for param in params)
            if None in types:
                types = None  # a parameter of a kind not declared here: not prepared
        return queryset, state, sql, slots, types
