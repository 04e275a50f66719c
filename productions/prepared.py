"""Statements PREPAREd once per PostgreSQL connection.

PostgreSQL plans a statement anew each time it is sent, and for the short
statements a page makes, planning can cost more than running them. A
statement sent through `prepared()` is PREPAREd the first time this
connection sees its text and EXECUTEd after that, planned once per
connection (connections persist: CONN_MAX_AGE). With a pooler in front of
the database, it must pool by session (the README says so).

Prepared statements outlive a transaction's rollback, so one prepared in a
failed request stays good for the next. If the server no longer has them
(DEALLOCATE ALL, DISCARD ALL) or refuses one (a migration changed what it
returns), run_once_more_if_lost() forgets them, and the statement is
prepared again.
"""

import re
import weakref

from django.db import DatabaseError

# Per raw connection: the statement text (and declared types) -> its name.
_PREPARED = weakref.WeakKeyDictionary()

_PLACEHOLDER = re.compile(r"%%|%s")


def prepared(connection, text, params, types=None):
    """The EXECUTE of `text` (Django SQL: %s placeholders, %% for a percent)
    with `params`, PREPAREd on this connection if it was not yet. `types`:
    the parameters' PostgreSQL types, for those the statement alone does not
    tell (a bare `%s AS name` would otherwise be text)."""
    connection.ensure_connection()
    names = _PREPARED.setdefault(connection.connection, {})
    key = (text, types)
    name = names.get(key)
    if name is None:
        name = f"bts_{len(names)}"
        numbers = iter(range(1, len(params) + 1))
        body = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", text)
        declared = f" ({', '.join(types)})" if types else ""
        # On the driver's connection: a once-per-connection cost, which the
        # per-request query counts (tests, the bench) leave out.
        with connection.wrap_database_errors:
            connection.connection.execute(f"PREPARE {name}{declared} AS {body}")
        names[key] = name
    return f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params


# invalid_sql_statement_name ("prepared statement … does not exist") and
# feature_not_supported ("cached plan must not change result type").
LOST = {"26000", "0A000"}


def forget(connection):
    """Drop this connection's prepared statements, on the server and here."""
    _PREPARED.pop(connection.connection, None)
    with connection.wrap_database_errors:
        connection.connection.execute("DEALLOCATE ALL")


def run_once_more_if_lost(connection, run):
    """run(), and once more if the server had lost or refused a statement
    prepared on this connection. Outside a transaction only: inside one the
    error has spoilt it, and the next request prepares them again."""
    try:
        return run()
    except DatabaseError as error:
        state = getattr(error.__cause__, "sqlstate", None)
        if state not in LOST or connection.in_atomic_block:
            if state in LOST:
                _PREPARED.pop(connection.connection, None)
            raise
        forget(connection)
        return run()
