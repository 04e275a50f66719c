"""Running writers at the same time on PostgreSQL, for the race tests.

Each call runs in its own thread with its own connection and really commits
(the tests use transaction=True), so row locks really block. `race()`
releases all calls at once; `in_order()` makes them take a row one after
the other, to replay a deadlock step by step.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

postgresql_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): real row locks "
    "(SQLite runs one write transaction at a time)",
)


def _threads(calls, results, errors, barrier=None):
    def run(index, call):
        try:
            if barrier is not None:
                barrier.wait(timeout=60)
            results[index] = call()
        except BaseException as exc:  # re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    return [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]


def _finish(threads, results, errors):
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a call hung"
    if errors:
        raise errors[0]
    return results


def race(*calls):
    """Each call in its own thread, all released at once; their results in order."""
    results, errors = [None] * len(calls), []
    threads = _threads(calls, results, errors, threading.Barrier(len(calls)))
    for thread in threads:
        thread.start()
    return _finish(threads, results, errors)


def waiting_for_locks(count, timeout=20):
    """Wait until `count` other backends of this database wait for a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is read once: read it afresh.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
        time.sleep(0.02)
    raise AssertionError(f"{count} backends never waited for a lock")


def in_order(held, *calls):
    """Hold the row lock of `held` (a production, a stage or an item), start
    each call in turn (each waits for a lock before the next starts), then
    let go: the calls take the row in the order they were started. A
    deadlock between them is raised here (PostgreSQL's "deadlock detected")."""
    results, errors = [None] * len(calls), []
    threads = _threads(calls, results, errors)
    with transaction.atomic():
        type(held)._base_manager.select_for_update(no_key=True).filter(pk=held.pk).first()
        for number, thread in enumerate(threads, 1):
            thread.start()
            waiting_for_locks(number)
    return _finish(threads, results, errors)


class Holder:
    """A row lock held in a thread of its own until `release()`: for replays
    that need two rows held and let go one at a time."""

    def __init__(self, row):
        self.row, self.taken, self.done = row, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.taken.wait(20), "could not take the row"

    def _hold(self):
        try:
            with transaction.atomic():
                model = type(self.row)._base_manager
                model.select_for_update(no_key=True).filter(pk=self.row.pk).first()
                self.taken.set()
                self.done.wait(60)
        finally:
            connection.close()

    def release(self):
        self.done.set()
        self.thread.join(60)


def start(call):
    """Run `call` in a thread of its own; join() it to get (result, error)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()

    def join():
        thread.join(60)
        assert not thread.is_alive(), "a call hung"
        return outcome.get("result"), outcome.get("error")

    join.thread = thread
    return join
