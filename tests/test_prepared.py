"""Statements planned once per PostgreSQL connection (productions/prepared.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from productions.access import get_production_for_user
from productions.prepared import prepared
from tests.factories import ProductionFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_a_statement_is_prepared_once_and_executed_with_each_call_s_values():
    text = "SELECT %s + 1, 'a%%b'"
    first = prepared(connection, text, [1], ("integer",))
    second = prepared(connection, text, [41], ("integer",))
    assert first[0] == second[0]
    assert first[0].startswith("EXECUTE bts_")
    assert _run(*first) == [(2, "a%b")]
    assert _run(*second) == [(42, "a%b")]


def test_declared_types_keep_a_bare_parameter_an_integer():
    # A bare `$1 AS level` would be text without the declared type.
    staff = UserFactory(is_staff=True)
    production = ProductionFactory()
    found, access = get_production_for_user(staff, production.slug)
    assert found == production
    assert access.level == 30
    assert access.manage


def test_the_prepare_is_not_a_query_of_the_request():
    text = "SELECT %s * 2 AS doubled_for_the_count_test"
    with CaptureQueriesContext(connection) as queries:
        assert _run(*prepared(connection, text, [4], ("integer",))) == [(8,)]
    assert [query["sql"][:7] for query in queries.captured_queries] == ["EXECUTE"]


@pytest.mark.django_db(transaction=True)
def test_statements_the_server_lost_are_prepared_again():
    # A pooler's DISCARD ALL, or DEALLOCATE ALL: the next page still answers.
    staff = UserFactory(is_staff=True)
    production = ProductionFactory()
    assert get_production_for_user(staff, production.slug)[0] == production
    connection.connection.execute("DEALLOCATE ALL")

    assert get_production_for_user(staff, production.slug)[0] == production
