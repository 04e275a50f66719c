"""Location, the field added to prove issue 15's one declaration per field
(productions/fields.py): shown on the checklist and My work rows, edited in
the item form (inline too), filtered by ("Location contains", the page's
filter and the exports'), in every export and import, the JSON document,
clones and templates, and in the admin."""

import csv
import html
import io
import json
from urllib.parse import urlencode

import pytest
import tinyhtml5
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains

from productions import services
from productions.models import Activity, ChecklistItem, ChecklistTemplate, Production
from tests.conftest import HTMX, client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    StageFactory,
)
from tests.xss_payloads import MARKUP, assert_no_injected_markup

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(production):
    stage = StageFactory(production=production, name="Filming")
    return ChecklistItemFactory(
        stage=stage, title="Book the drone", location="Studio B", due_date="2027-03-05"
    )


def get(user, name, production):
    response = client_for(user).get(reverse(name, args=[production.slug]))
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_item_form_edits_the_location_and_logs_it(editor, item):
    response = client_for(editor).post(
        f"/items/{item.pk}/edit/",
        {"title": item.title, "location": " Stage 4 ", "version": item.version},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.location == "Stage 4"
    entry = Activity.objects.get(item=item, kind=Activity.Kind.ITEM_EDITED)
    assert entry.changes["location"] == ["Studio B", "Stage 4"]


def test_the_item_form_refuses_a_location_over_200_characters(editor, item):
    response = client_for(editor).post(
        f"/items/{item.pk}/edit/",
        {"title": item.title, "location": "x" * 201, "version": item.version},
    )

    assertContains(response, "at most 200 characters", status_code=422)
    item.refresh_from_db()
    assert item.location == "Studio B"


def test_csv_and_excel_export_the_location(viewer, production, item):
    from openpyxl import load_workbook

    rows = csv_rows(get(viewer, "production_export_csv", production))
    assert rows[0]["Location"] == "Studio B"

    sheet = load_workbook(io.BytesIO(get(viewer, "production_export_xlsx", production)))
    header, first = list(sheet["All items"].iter_rows(values_only=True))[:2]
    assert first[header.index("Location")] == "Studio B"


def test_print_and_calendar_show_the_location(viewer, production, item):
    assert b"Location: Studio B" in get(viewer, "production_print", production)

    calendar = Calendar.from_ical(get(viewer, "production_export_ics", production))
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("item-")]
    assert "Location: Studio B" in str(event["description"])


def preview(client, production, data):
    return client.post(
        reverse("checklist_import", args=[production.slug]),
        {"file": SimpleUploadedFile("x.csv", data)},
    )


def test_a_csv_import_sets_the_location_of_new_and_matched_items(editor, production, item):
    client = client_for(editor)
    data = "Stage,Item,Location\nFilming,Book the drone,Roof\nFilming,Rent a van,Car park\n"
    response = preview(client, production, data.encode())
    assert response.status_code == 200

    client.post(
        reverse("checklist_import_confirm", args=[production.slug]),
        {"token": response.context["token"], "digest": response.context["plan"].digest},
    )

    locations = dict(
        ChecklistItem.objects.filter(stage=item.stage).values_list("title", "location")
    )
    assert locations == {"Book the drone": "Roof", "Rent a van": "Car park"}


def test_a_csv_import_refuses_a_location_over_200_characters(editor, production, item):
    data = f"Stage,Item,Location\nFilming,Book the drone,{'x' * 201}\n"

    response = preview(client_for(editor), production, data.encode())

    assertContains(response, "Row 2, Location: is longer than 200 characters.", status_code=422)


def test_the_json_document_carries_the_location_both_ways(manager, production, item):
    document = json.loads(get(manager, "production_export_json", production))
    assert document["stages"][0]["items"][0]["location"] == "Studio B"

    response = client_for(manager).post(
        reverse("production_import"),
        {"file": SimpleUploadedFile("x.json", json.dumps(document).encode())},
    )

    assert response.status_code == 302
    copy = Production.objects.exclude(pk=production.pk).get()
    assert ChecklistItem.objects.get(stage__production=copy).location == "Studio B"


def test_a_json_document_from_before_the_location_imports(manager, production, item):
    document = json.loads(get(manager, "production_export_json", production))
    del document["stages"][0]["items"][0]["location"]

    response = client_for(manager).post(
        reverse("production_import"),
        {"file": SimpleUploadedFile("x.json", json.dumps(document).encode())},
    )

    assert response.status_code == 302
    copy = Production.objects.exclude(pk=production.pk).get()
    assert ChecklistItem.objects.get(stage__production=copy).location == ""


def test_a_clone_keeps_the_location(manager, production, item):
    copy = services.clone_production(production, by=manager, title="Copy")

    assert ChecklistItem.objects.get(stage__production=copy).location == "Studio B"


def test_a_template_keeps_the_location(manager, production, item):
    template = services.save_as_template(production, by=manager, name="Drones")
    assert template.stages[0]["items"][0]["location"] == "Studio B"

    made = services.create_production_from_template(template, by=manager, title="New")

    assert ChecklistItem.objects.get(stage__production=made).location == "Studio B"


def test_a_template_saved_before_the_location_still_starts_productions(manager, production, item):
    template = services.save_as_template(production, by=manager, name="Old")
    stages = template.stages
    del stages[0]["items"][0]["location"]
    ChecklistTemplate.objects.filter(pk=template.pk).update(stages=stages)
    template.refresh_from_db()

    made = services.create_production_from_template(template, by=manager, title="New")

    assert ChecklistItem.objects.get(stage__production=made).location == ""


# Shown on the row, edited inline, filterable (issue 15).


def detail(client, production, query=""):
    response = client.get(reverse("production_detail", args=[production.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def elements(page, tag="*", **attributes):
    """The elements of `page` (parsed as a browser parses it) with these
    attributes ("class_": one of their classes)."""
    wanted = attributes.pop("class_", None)
    root = tinyhtml5.parse(page, namespace_html_elements=False)
    return [
        element
        for element in root.iter(tag)
        if all(element.get(name) == value for name, value in attributes.items())
        and (wanted is None or wanted in element.get("class", "").split())
    ]


def text(element):
    return "".join(element.itertext()).strip()


def row(page, item):
    """The item's row (its <li>) in a page."""
    start = page.index(f'<li id="item-{item.pk}"')
    return page[start : page.index("</li>", start)]


def test_the_row_shows_the_location_beside_the_due_date(viewer, production, item):
    shown = row(detail(client_for(viewer), production), item)

    assert "Location: Studio B" in shown
    assert shown.index("Location: Studio B") > shown.index("Mar")


def test_a_row_without_a_location_says_nothing_of_it(viewer, production, item):
    ChecklistItem.objects.filter(pk=item.pk).update(location="")

    assert "Location" not in row(detail(client_for(viewer), production), item)


def test_my_work_and_everything_due_rows_show_the_location(editor, manager, production, item):
    me = CrewMemberFactory(name="Eddie Crew", user=editor)
    ChecklistItem.objects.filter(pk=item.pk).update(assignee=me)

    for user, page in [(editor, "my_work"), (manager, "everything_due")]:
        shown = client_for(user).get(reverse(page)).content.decode()
        start = shown.index(f'<li id="work-item-{item.pk}"')
        assert "Location: Studio B" in shown[start : shown.index("</li>", start)], page


def test_an_edit_shows_on_the_cached_page_at_once(editor, production, item):
    client = client_for(editor)
    detail(client, production)  # the stage card is now cached

    services.update_item(item, by=editor, version=item.version, location="Roof")

    shown = row(detail(client, production), item)
    assert "Location: Roof" in shown
    assert "Studio B" not in shown


@pytest.mark.parametrize("payload", MARKUP, ids=range(len(MARKUP)))
def test_a_location_never_becomes_markup(editor, production, item, payload):
    """On the row, My work, Everything due, the inline edit form and the
    conflict box, a hostile location stays text."""
    me = CrewMemberFactory(name="Eddie Crew", user=editor)
    AssignmentFactory(production=production, crew_member=me)
    ChecklistItem.objects.filter(pk=item.pk).update(location=payload, assignee=me)
    client = client_for(editor)
    item.refresh_from_db()
    stale = item.version
    services.update_item(item, by=editor, version=item.version, title="Book two drones")

    pages = {
        "production page": detail(client, production),
        "My work": client.get(reverse("my_work")).content.decode(),
        "Everything due": client.get(reverse("everything_due")).content.decode(),
        "edit form": client.get(f"/items/{item.pk}/edit/", **HTMX).content.decode(),
    }
    conflict = client.post(
        f"/items/{item.pk}/edit/", {"title": "Mine", "location": payload, "version": stale}, **HTMX
    )
    assert conflict.status_code == 409
    pages["conflict box"] = conflict.content.decode()

    for where, page in pages.items():
        assert_no_injected_markup(page, where)
        assert html.escape(payload) in page, where


def test_the_inline_edit_form_has_a_labelled_location_input(editor, item):
    response = client_for(editor).get(f"/items/{item.pk}/edit/", **HTMX)

    assert response.status_code == 200
    page = response.content.decode()
    (field,) = elements(page, "input", name="location")
    assert field.get("value") == "Studio B"
    assert field.get("maxlength") == "200"
    (label,) = elements(page, "label", **{"for": field.get("id")})
    assert text(label) == "Location"


def test_an_inline_edit_saves_the_location_and_answers_the_row(editor, production, item):
    response = client_for(editor).post(
        f"/items/{item.pk}/edit/",
        {"title": item.title, "location": "Car park", "version": item.version},
        **HTMX,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Location: Car park" in row(page, item)
    assert 'name="location"' not in page  # the row, not the form again
    item.refresh_from_db()
    assert item.location == "Car park"


def test_an_inline_edit_of_201_characters_is_a_422_with_the_error_by_the_field(editor, item):
    response = client_for(editor).post(
        f"/items/{item.pk}/edit/",
        {"title": item.title, "location": "x" * 201, "version": item.version},
        **HTMX,
    )

    assert response.status_code == 422
    page = response.content.decode()
    (field,) = elements(page, "input", name="location")
    assert "is-invalid" in field.get("class").split()
    described = field.get("aria-describedby", "").split()
    errors = [
        text(e) for e in elements(page, class_="invalid-feedback") if e.get("id") in described
    ]
    assert any("at most 200 characters" in error for error in errors)
    item.refresh_from_db()
    assert item.location == "Studio B"


def test_the_conflict_box_shows_their_location(editor, item):
    stale = item.version
    services.update_item(item, by=editor, version=item.version, location="Roof")

    response = client_for(editor).post(
        f"/items/{item.pk}/edit/",
        {"title": item.title, "location": "Basement", "version": stale},
        **HTMX,
    )

    assert response.status_code == 409
    (box,) = elements(response.content.decode(), "div", class_="alert")
    terms = [text(dt) for dt in box.iter("dt")]
    assert [text(dd) for dd in box.iter("dd")][terms.index("Location")] == "Roof"


@pytest.fixture
def spread(production, item):
    """Three more items: one on the roof, one at studio A, one nowhere."""
    roof = StageFactory(production=production, name="Roof day", position=5)
    ChecklistItemFactory(stage=item.stage, title="Studio lights", location="STUDIO A")
    ChecklistItemFactory(stage=roof, title="Safety rail", location="Roof", due_date="2027-03-09")
    ChecklistItemFactory(stage=item.stage, title="Call the label")
    return roof


def titles(page):
    return [text(title) for title in elements(page, "div", class_="item-title")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Book the drone", "Studio lights", "Call the label", "Safety rail"]),
        ("?location=studio", ["Book the drone", "Studio lights"]),
        ("?location=+studio+b+", ["Book the drone"]),
        ("?location=roof", ["Safety rail"]),
        ("?location=nowhere", []),
        ("?location=studio&q=l", ["Studio lights"]),
    ],
)
def test_the_location_filter_narrows_the_rows(viewer, production, spread, query, expected):
    page = detail(client_for(viewer), production, query)

    assert titles(page) == expected
    assert ("Clear filters" in page) == bool(query)


def test_the_filter_form_shows_the_location_it_filters_by(viewer, production, spread):
    page = detail(client_for(viewer), production, "?location=Studio")

    (field,) = elements(page, "input", id="filter-location")
    assert field.get("name") == "location"
    assert field.get("value") == "Studio"


def test_a_hostile_location_filter_is_text(viewer, production, spread):
    for payload in MARKUP:
        page = detail(client_for(viewer), production, "?" + urlencode({"location": payload}))
        assert_no_injected_markup(page, "filtered production page")


def test_bulk_edits_take_the_location_filter(editor, production, spread):
    response = client_for(editor).post(
        reverse("production_bulk", args=[production.slug]) + "?location=studio",
        {"action": "done", "all_matching": "1"},
    )

    assert response.status_code in (200, 302)
    done = ChecklistItem.objects.filter(stage__production=production, done=True)
    assert sorted(done.values_list("title", flat=True)) == ["Book the drone", "Studio lights"]


def test_the_filtered_exports_hold_the_matching_items(viewer, production, spread):
    client = client_for(viewer)
    csv_url = reverse("production_export_csv", args=[production.slug])

    response = client.get(csv_url, {"location": "studio"})

    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert [row["Item"] for row in csv_rows(data)] == ["Book the drone", "Studio lights"]
    assert "-at-studio-" in response["Content-Disposition"]

    printed = client.get(
        reverse("production_print", args=[production.slug]), {"location": "roof"}
    ).content.decode()
    assert "Location contains “roof”" in printed
    assert "Safety rail" in printed
    assert "Book the drone" not in printed


def test_the_filtered_calendar_leaves_out_stages_without_matching_items(viewer, production, spread):
    production.stages.update(due_date="2027-03-20")
    response = client_for(viewer).get(
        reverse("production_export_ics", args=[production.slug]), {"location": "roof"}
    )

    calendar = Calendar.from_ical(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert any(summary.startswith("Roof day") for summary in summaries)
    assert not any(summary.startswith("Filming") for summary in summaries)
    assert any("Safety rail" in summary for summary in summaries)
    assert not any("Book the drone" in summary for summary in summaries)


def test_the_location_filter_adds_no_query_to_the_page(
    viewer, production, spread, django_assert_num_queries
):
    client = client_for(viewer)
    with CaptureQueriesContext(connection) as by_text:
        detail(client, production, "?q=studio")
    cache.clear()

    with django_assert_num_queries(len(by_text)):
        detail(client, production, "?q=studio&location=studio")


def test_the_admin_lists_and_searches_the_location(staff, production, spread):
    response = client_for(staff).get(
        reverse("admin:productions_checklistitem_changelist"), {"q": "roof"}
    )

    assert response.status_code == 200
    changelist = response.context["cl"]
    assert "location" in changelist.list_display
    assert [item.title for item in changelist.result_list] == ["Safety rail"]
