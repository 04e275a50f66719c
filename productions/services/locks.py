"""Locks beyond rows: writers that take many rows of a production take turns.

A move locks its own item and then the rows it shifts; a bulk change, its
Undo and an import lock many items at once. Two of them in one production
could each hold a row the other waits for. They first take this lock, so
they run one after the other; ticks, edits and adds (one row, then its
stage) do not take it and are not held up by it.
"""

from django.db import connection


def one_at_a_time(production_id):
    """Wait for any other such writer in the production to end: an advisory
    lock on the production's id, held to the end of the transaction (the app
    takes no other advisory locks). SQLite runs one write transaction at a
    time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [production_id])
