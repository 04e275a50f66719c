"""Script, markup and formulas typed into text fields, in the CSV export and in
query strings: the export is a download, not a page, with formulas defused in
every column, and the pagination links carry odd query parameters back as
text. The pages themselves are in tests/test_xss_pages.py.
"""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from productions.models import Activity, ChecklistItem
from tests.conftest import HTMX, client_for
from tests.factories import (
    CrewMemberFactory,
    CrewRoleFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
)
from tests.xss_payloads import (
    FORBIDDEN,
    PAYLOADS,
    tag,
    write_everywhere,
)


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def scene(request, manager, staff, production):
    """Every text field of the app holding the payload, written as users would
    (see tests/xss_payloads.py)."""
    return write_everywhere(request.param, manager, staff)


def body(response):
    """The bytes of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_csv_export_is_a_download_not_a_page(scene):
    """The export holds the text as it is (it is no HTML); a browser must not
    render it as a page, and a spreadsheet must not run it as a formula."""
    slug = scene["production"].slug
    response = scene["manager"].get(reverse("production_export_csv", args=[slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    item = rows[0].index("Item")
    assert [tag("I", scene["payload"])] == [row[item] for row in rows if "I·" in row[item]]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1+1", "@SUM(A1)", '=HYPERLINK("x")'])
def test_the_csv_export_defuses_formulas_in_every_column(manager, production, payload):
    stage = StageFactory(production=production, name=payload)
    role = CrewRoleFactory(name=payload)
    crew = CrewMemberFactory(name=payload, default_role=role)
    production.title = payload
    production.save()
    ChecklistItem.objects.create(stage=stage, title=payload, assignee=crew)

    response = client_for(manager).get(reverse("production_export_csv", args=["neon-nights"]))

    header, cells = csv.reader(io.StringIO(body(response).decode("utf-8-sig")))
    for column in ("Production", "Stage", "Item", "Assignee", "Role"):
        assert cells[header.index(column)] == f"'{payload}", (column, cells)


@pytest.mark.parametrize("payload", PAYLOADS[:5], ids=range(5))
def test_pagination_links_carry_the_query_escaped(manager, production, payload):
    """The page links repeat the query string ({% querystring %}): odd
    parameters in it come back as text too."""
    for n in range(30):
        MembershipFactory(production=ProductionFactory(title=f"Show {n}"), user=manager, level=30)
    for _ in range(25):
        Activity.objects.create(production=production, kind=Activity.Kind.COMMENTED)
    client = client_for(manager)
    query = "?" + urlencode({"evil": payload, payload: "x"})

    for url in (
        reverse("production_list"),
        reverse("production_activity", args=[production.slug]),
        reverse("production_detail", args=[production.slug]),
    ):
        for headers in ({}, HTMX):
            response = client.get(url + query, **headers)
            html = response.content.decode()
            assert response.status_code == 200
            if "detail" in response.resolver_match.url_name:
                # The feed loads after the page, with the page's query.
                assert "/activity/?evil=" in html, url
            else:
                assert "page=2" in html, url  # the links are there
            for fragment in FORBIDDEN:
                assert fragment not in html, (url, fragment)
            assert payload not in html or escape(payload) == payload, url


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "ics", "json"])
def test_the_other_exports_are_downloads_not_pages(scene, fmt):
    """No export is served as HTML: a browser opening one cannot run the markup
    in it (the PDF's HTML is the print view, swept in tests/test_xss_pages.py)."""
    slug = scene["production"].slug
    response = scene["manager"].get(reverse(f"production_export_{fmt}", args=[slug]))

    assert response.status_code == 200
    assert not response["Content-Type"].startswith(("text/html", "application/xhtml"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    if fmt == "json":  # the text as it was typed
        assert tag("I", scene["payload"]) in strings(json.loads(body(response)))


def strings(value):
    """Every string in a JSON document."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_calendar_feed_is_a_calendar_not_a_page(scene):
    production = scene["production"]
    scene["manager"].post(reverse("calendar_link_create", args=[production.slug]), {})
    secret = production.calendar_tokens.get().secret

    response = Client().get(reverse("calendar_feed", args=[secret]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    # The text is in it as typed: a calendar, which no browser renders as a page.
    assert response["X-Content-Type-Options"] == "nosniff"
