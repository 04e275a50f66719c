"""Behind PgBouncer in transaction pooling (DB_PREPARE=off): several app
connections share fewer server connections, statement by statement.

Runs only when PGBOUNCER=transaction says DATABASE_URL points at such a
PgBouncer (.ci/run starts one). With DB_PREPARE on, a statement psycopg
prepared on one server connection is then executed on another, which does
not have it or has another statement of that name: most rounds fail.
"""

import os
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import connections

from productions import queries
from productions.access import get_production_for_user
from productions.models import Activity
from tests.factories import ChecklistItemFactory, MembershipFactory, StageFactory

pytestmark = pytest.mark.skipif(
    os.getenv("PGBOUNCER") != "transaction",
    reason="needs DATABASE_URL at a PgBouncer in transaction pooling (PGBOUNCER=transaction)",
)

THREADS = 8
ROUNDS = 40


def test_db_prepare_is_off_behind_a_transaction_pooler():
    assert settings.DB_PREPARE is False
    assert settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True


@pytest.mark.django_db(transaction=True)
def test_page_queries_from_many_connections_all_succeed(user):
    productions = []
    for n in range(3):
        stage = StageFactory(production__slug=f"pooled-{n}")
        ChecklistItemFactory.create_batch(12, stage=stage)
        MembershipFactory(production=stage.production, user=user)
        productions.append(stage.production)
    failures, done = Counter(), Counter()

    def rounds(number):
        try:
            for n in range(ROUNDS):
                production, _ = get_production_for_user(user, f"pooled-{(number + n) % 3}")
                stages = queries.checklist_stages(production)
                queries.first_windows(stages)
                queries.production_crew(production)
                Activity.objects.filter(production=production).count()
                done[number] += 1
        except Exception as exc:  # each kind counted, to say what went wrong
            failures[f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rounds, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert sum(done.values()) == THREADS * ROUNDS
