"""Issue 14 (3): what a hostile tester sent to the production JSON import, the
import confirm and the date fields. Each bad document is refused with a 422
naming its path and writes nothing; no date outside 1900 to 2200 is stored; the
calendar exports survive a date stored before that rule."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains

from productions import services
from productions.models import (
    Activity,
    Assignment,
    CalendarToken,
    ChecklistItem,
    Comment,
    CrewMember,
    Production,
    Stage,
)
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, StageFactory
from tests.test_imports_production_json import export, full_production, upload  # noqa: F401

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (Production, Stage, ChecklistItem, Comment, CrewMember, Assignment, Activity)
    ]


def item(doc):
    return doc["stages"][0]["items"][0]


def set_comment_author(doc, value):
    item(doc)["comments"][0]["author"] = value


# (how the exported document is spoiled, what the 422 says)
SPOILED = {
    "assignee is an object": (
        lambda d: item(d).update(assignee={}),
        "stages[0].items[0].assignee: expected a crew id (a whole number) or null.",
    ),
    "assignee is a list": (
        lambda d: item(d).update(assignee=[1]),
        "stages[0].items[0].assignee: expected a crew id (a whole number) or null.",
    ),
    "a default role is a number": (
        lambda d: d["crew"][0].update(default_role=5),
        "crew[0].default_role: expected a crew role's name, not a number.",
    ),
    "an assignment's crew is a list": (
        lambda d: d["assignments"][0].update(crew=[1]),
        "assignments[0].crew: expected a crew id (a whole number).",
    ),
    "a NUL in done_by": (
        lambda d: item(d).update(done_by="man\x00ager"),
        "stages[0].items[0].done_by: contains a NUL character.",
    ),
    "a NUL in a comment's author": (
        lambda d: set_comment_author(d, "\x00"),
        "stages[0].items[0].comments[0].author: contains a NUL character.",
    ),
    "a lone surrogate in a title": (
        lambda d: item(d).update(title="\ud800"),
        "stages[0].items[0].title: contains a lone surrogate",
    ),
    "a lone surrogate in a role": (
        lambda d: d["assignments"][0].update(role="x\udfff"),
        "assignments[0].role: contains a lone surrogate",
    ),
    "done at the end of year 9999 in -14:00": (
        lambda d: item(d).update(done_at="9999-12-31T23:59:59-14:00"),
        "stages[0].items[0].done_at: '9999-12-31T23:59:59-14:00' is out of range",
    ),
    "a comment made in year 1 at +14:00": (
        lambda d: item(d)["comments"][0].update(created_at="0001-01-01T00:00:00+14:00"),
        "stages[0].items[0].comments[0].created_at: '0001-01-01T00:00:00+14:00' is out of range",
    ),
    "an item due in year 9999": (
        lambda d: item(d).update(due_date="9999-12-31"),
        "stages[0].items[0].due_date: 9999-12-31 is out of range",
    ),
    "a production starting in 1899": (
        lambda d: d["production"].update(start_date="1899-12-31"),
        "production.start_date: 1899-12-31 is out of range",
    ),
    "required is a string": (
        lambda d: item(d).update(required="yes"),
        "stages[0].items[0].required: expected true or false, not text.",
    ),
    "stages is an object": (
        lambda d: d.update(stages={"0": {}}),
        "stages: expected a list, not an object.",
    ),
    "an item is a number": (
        lambda d: d["stages"][0]["items"].__setitem__(0, 7),
        "stages[0].items[0]: expected an object, not a number.",
    ),
    "a crew id is true": (
        lambda d: d["crew"][0].update(id=True),
        "crew[0].id: expected a crew id (a whole number).",
    ),
}


@pytest.mark.parametrize("case", sorted(SPOILED))
def test_a_spoiled_document_is_refused_naming_the_path(manager, full_production, case):  # noqa: F811
    spoil, message = SPOILED[case]
    doc = json.loads(export(client_for(manager), full_production))
    spoil(doc)
    before = counts()

    response = upload(client_for(manager), "x.json", json.dumps(doc).encode(), **HTMX)

    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert counts() == before


@pytest.mark.parametrize(
    "data",
    [
        b'{"format": "bts-tracker/production", "version": 1, "production": {}, "x": '
        + b"1" * 5000
        + b"}",
        b'{"format": "bts-tracker/production", "version": "\\ud800"}',
        b'{"format": "bts-tracker/production", "version": true, "production": {}}',
    ],
    ids=["a number of 5000 digits", "a surrogate version", "version true"],
)
def test_a_file_json_cannot_hold_is_refused(manager, data):
    before = counts()

    response = upload(client_for(manager), "x.json", data)

    assert response.status_code == 422
    assert counts() == before


def test_a_confirm_with_a_token_that_is_not_ascii_is_out_of_date(editor, production):
    stage = StageFactory(production=production, name="Soundcheck")
    ChecklistItemFactory(stage=stage, title="Line check")
    client = client_for(editor)
    preview = client.post(
        reverse("checklist_import", args=[production.slug]),
        {"file": SimpleUploadedFile("x.csv", b"Stage,Item\nSoundcheck,Wedges\n")},
    )
    assert preview.status_code == 200

    response = client.post(
        reverse("checklist_import_confirm", args=[production.slug]),
        {"token": "é", "digest": preview.context["plan"].digest},
    )

    assertContains(response, "out of date", status_code=409)
    assert not ChecklistItem.objects.filter(title="Wedges").exists()


def test_a_csv_row_due_in_year_9999_is_a_problem(editor, production):
    StageFactory(production=production, name="Soundcheck")

    response = client_for(editor).post(
        reverse("checklist_import", args=[production.slug]),
        {"file": SimpleUploadedFile("x.csv", b"Stage,Item,Due\nSoundcheck,Wedges,9999-12-31\n")},
    )

    assertContains(response, "out of range", status_code=422)


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
def test_an_item_cannot_be_due_outside_1900_to_2200(editor, production, due):
    entry = ChecklistItemFactory(stage=StageFactory(production=production), title="Van")

    response = client_for(editor).post(
        f"/items/{entry.pk}/edit/", {"title": "Van", "due_date": due, "version": entry.version}
    )

    assertContains(response, "Pick a date from 1900 to 2200", status_code=422)
    entry.refresh_from_db()
    assert entry.due_date is None


def test_my_work_cannot_reschedule_to_year_9999(editor, production):
    entry = ChecklistItemFactory(stage=StageFactory(production=production), title="Van")

    response = client_for(editor).post(
        f"/items/{entry.pk}/edit/", {"due_date": "9999-12-31", "row": "work"}, **HTMX
    )

    assert response.status_code == 422
    entry.refresh_from_db()
    assert entry.due_date is None


def test_a_production_cannot_start_in_year_1(manager, production):
    response = client_for(manager).post(
        f"/productions/{production.slug}/edit/",
        {
            "title": "Neon",
            "kind": "concert",
            "status": "planning",
            "start_date": "0001-01-01",
            "version": production.version,
        },
    )

    assertContains(response, "Pick a date from 1900 to 2200", status_code=422)
    production.refresh_from_db()
    assert production.start_date is None


def test_a_stage_cannot_be_due_in_year_9999(manager, production):
    stage = StageFactory(production=production, name="Shoot")

    response = client_for(manager).post(
        f"/stages/{stage.pk}/edit/",
        {"name": "Shoot", "phase": stage.phase, "due_date": "9999-12-31", "version": stage.version},
    )

    assert response.status_code == 422
    stage.refresh_from_db()
    assert stage.due_date is None


def test_a_clone_cannot_push_a_date_past_2200(manager, production):
    StageFactory(production=production, due_date=datetime.date(2200, 6, 1))

    with pytest.raises(services.DatesOutOfRange, match="1900–2200"):
        services.clone_production(production, by=manager, title="Copy", offset_days=365)


def stored_out_of_range(production):
    """Rows stored before the rule (or by SQL): year 9999 and year 1."""
    stage = StageFactory(production=production, name="Far")
    Stage.objects.filter(pk=stage.pk).update(
        start_date=datetime.date(1, 1, 1), due_date=datetime.date(9999, 12, 31)
    )
    far = ChecklistItemFactory(stage=stage, title="Far future")
    ChecklistItem.objects.filter(pk=far.pk).update(due_date=datetime.date(9999, 12, 31))
    ChecklistItemFactory(stage=stage, title="Next week", due_date=datetime.date(2027, 3, 1))


def test_the_ics_export_leaves_out_a_date_stored_out_of_range(viewer, production):
    stored_out_of_range(production)

    response = client_for(viewer).get(reverse("production_export_ics", args=[production.slug]))

    assert response.status_code == 200
    summaries = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["Due: Next week"]


def test_the_calendar_feed_leaves_out_a_date_stored_out_of_range(viewer, production):
    stored_out_of_range(production)
    client = client_for(viewer)
    client.post(reverse("calendar_link_create", args=[production.slug]), {"crew_member": ""})
    secret = CalendarToken.objects.get(owner=viewer).secret

    response = client_for(None).get(reverse("calendar_feed", args=[secret]))

    assert response.status_code == 200
    assert b"Next week" in response.content
    assert b"Far future" not in response.content


def test_a_bulk_change_cannot_set_a_due_date_in_year_9999(editor, production):
    entry = ChecklistItemFactory(stage=StageFactory(production=production), title="Van")

    response = client_for(editor).post(
        f"/productions/{production.slug}/bulk/",
        {"action": "due", "items": [entry.pk], "due_date": "9999-12-31"},
    )

    assert response.status_code == 422
    entry.refresh_from_db()
    assert entry.due_date is None
