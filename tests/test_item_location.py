"""Location, the field added to prove issue 15's one declaration per field
(productions/fields.py): edited in the item form, in every export and import,
the JSON document, clones and templates."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains

from productions import services
from productions.models import Activity, ChecklistItem, ChecklistTemplate, Production
from tests.conftest import client_for
from tests.factories import ChecklistItemFactory, StageFactory

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
