"""Statements PREPAREd once per PostgreSQL connection.

PostgreSQL plans a statement anew each time it is sent, and for the short
statements a page makes, planning can cost more than running them. A
statement sent through `prepared()` is PREPAREd the first time this
connection sees its text and EXECUTEd after that, planned once per
connection (connections persist: CONN_MAX_AGE). With a pooler in front of
the database, it must pool by session (the README says so).

Prepared statements outlive a transaction's rollback, so one prepared in a
failed request stays good for the next.
"""

import re
import weakref

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
