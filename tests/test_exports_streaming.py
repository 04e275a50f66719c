"""SLOW (about 10-20 s): the CSV export of 100,000 items streams with flat memory.

The items are made with bulk_create; the export goes through the real view
and its StreamingHttpResponse, read chunk by chunk as a client would, while
tracemalloc watches the peak. Rows per second and the peak are printed
(`pytest -s tests/test_exports_streaming.py`) for the issue's closing note.
"""

import time
import tracemalloc

import pytest
from django.db import connection
from django.urls import reverse

from productions.models import ChecklistItem
from tests.conftest import client_for
from tests.factories import CrewMemberFactory, StageFactory

pytestmark = pytest.mark.django_db

ITEMS = 100_000
LIMIT = 50 * 1024 * 1024  # the bound on peak memory growth


def test_100k_items_export_as_csv_with_flat_memory(viewer, production):
    crew = CrewMemberFactory(name="Lia Chen")
    stages = [StageFactory(production=production, name=f"Stage {n}", position=n) for n in range(10)]
    # Plain executemany: ten times faster than bulk_create's model instances.
    table = ChecklistItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (stage_id, title, notes, assignee_id, required, done,"
            " position, version) VALUES (%s, %s, %s, %s, %s, %s, %s, 1)",
            [
                (
                    stages[n % 10].pk,
                    f"Item number {n} with a realistic title",
                    "Some notes" if n % 3 else "",
                    crew.pk if n % 2 else None,
                    n % 7 == 0,
                    False,
                    n,
                )
                for n in range(ITEMS)
            ],
        )
    client = client_for(viewer)
    url = reverse("production_export_csv", args=[production.slug])

    # Speed first, without tracemalloc (which slows Python down a lot).
    started = time.perf_counter()
    for _ in client.get(url).streaming_content:
        pass
    rows_per_second = ITEMS / (time.perf_counter() - started)

    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        response = client.get(url)
        lines = size = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
            size += len(chunk)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()

    assert response.status_code == 200
    assert lines == ITEMS + 1  # the header and one line per item
    print(
        f"\n100,000-item CSV export: {rows_per_second:,.0f} rows/s "
        f"({ITEMS / elapsed:,.0f} under tracemalloc), {size / 1024 / 1024:.1f} MB of CSV, "
        f"peak memory growth {peak / 1024 / 1024:.1f} MB"
    )
    assert peak < LIMIT
