"""Every export format: the same rows, columns, filter and access rules, read
back with the library each format's users rely on (csv, openpyxl, pypdf,
icalendar, json)."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from productions.models import ChecklistItem, Profile, Stage
from productions.views import exports as export_views
from tests.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CommentFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "pdf", "ics", "json"]


@pytest.fixture
def checklist(production, manager):
    """Two stages with dates, an assigned item with notes and a due date, a done one."""
    lia = CrewMemberFactory(name="Lia Chen")
    AssignmentFactory(production=production, crew_member=lia, role=CrewRoleFactory(name="Gaffer"))
    scouting = StageFactory(
        production=production,
        name="Location scouting",
        position=1,
        start_date=datetime.date(2027, 3, 1),
        due_date=datetime.date(2027, 3, 5),
    )
    filming = StageFactory(production=production, name="Filming", position=2)
    permits = ChecklistItemFactory(
        stage=scouting,
        title="Secure permits",
        notes="Call the city\nthen the police",
        assignee=lia,
        due_date=datetime.date(2027, 3, 4),
        required=True,
        position=1,
    )
    shortlist = ChecklistItemFactory(
        stage=scouting,
        title="Shortlist venues",
        position=2,
        done=True,
        done_at=datetime.datetime(2027, 2, 27, 17, 45, tzinfo=datetime.UTC),
        done_by=manager,
    )
    shoot = ChecklistItemFactory(stage=filming, title="=Shoot day", position=1)
    return {
        "lia": lia,
        "scouting": scouting,
        "filming": filming,
        "items": [permits, shortlist, shoot],
    }


def url(name, production, query=""):
    return reverse(f"production_export_{name}", args=[production.slug]) + query


def body(response):
    """The response's bytes (a streamed one is read once, then kept)."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "_read_body"):
        response._read_body = b"".join(response.streaming_content)
    return response._read_body


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


# --- CSV ------------------------------------------------------------------------


def test_csv_has_every_visible_field_with_the_id_first(viewer, production, checklist, settings):
    settings.TIME_ZONE = "Europe/Madrid"
    response = client_for(viewer).get(url("csv", production))

    assert response.status_code == 200
    assert response.streaming
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    header, *rows = csv_rows(response)
    assert header == [
        "ID",
        "Production",
        "Stage",
        "Phase",
        "Stage status",
        "Stage start",
        "Stage due",
        "Item",
        "Notes",
        "Required",
        "Assignee",
        "Role",
        "Due",
        "Done",
        "Done by",
        "Done at (Europe/Madrid)",
    ]
    permits = checklist["items"][0]
    assert rows[0] == [
        str(permits.pk),
        "Neon Nights",
        "Location scouting",
        "Pre-production",
        "Not started",
        "2027-03-01",
        "2027-03-05",
        "Secure permits",
        "Call the city\nthen the police",
        "yes",
        "Lia Chen",
        "Gaffer",
        "2027-03-04",
        "no",
        "",
        "",
    ]
    assert rows[1][13:] == ["yes", "mina", "2027-02-27 18:45"]
    assert rows[2][7] == "'=Shoot day"


def test_csv_done_at_follows_the_users_own_time_zone(viewer, production, checklist):
    Profile.objects.create(user=viewer, time_zone="America/New_York")

    header, *rows = csv_rows(client_for(viewer).get(url("csv", production)))

    assert header[-1] == "Done at (America/New_York)"
    assert rows[1][-1] == "2027-02-27 12:45"


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", ["Secure permits", "Shortlist venues", "'=Shoot day"]),
        ("?open=1", ["Secure permits", "'=Shoot day"]),
        ("?stage={filming}", ["'=Shoot day"]),
        ("?assignee={lia}", ["Secure permits"]),
        ("?assignee={lia}&open=1&stage={scouting}", ["Secure permits"]),
    ],
)
def test_csv_honours_the_filter(viewer, production, checklist, query, titles):
    query = query.format(
        filming=checklist["filming"].pk, lia=checklist["lia"].pk, scouting=checklist["scouting"].pk
    )
    rows = csv_rows(client_for(viewer).get(url("csv", production, query)))

    assert [row[7] for row in rows[1:]] == titles


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf", "ics", "print"])
def test_a_filter_naming_another_productions_stage_is_a_400(viewer, production, fmt):
    other = StageFactory()
    name = "production_print" if fmt == "print" else f"production_export_{fmt}"
    response = client_for(viewer).get(reverse(name, args=[production.slug]) + f"?stage={other.pk}")

    assert response.status_code == 400
    assert "stage" in response.content.decode()


def test_csv_filename_names_the_filter(viewer, production, checklist):
    response = client_for(viewer).get(
        url("csv", production, f"?stage={checklist['filming'].pk}&open=1")
    )

    assert "neon-nights-checklist-filming-open-" in response["Content-Disposition"]


def test_csv_leaves_out_trashed_items_and_stages(viewer, production, checklist):
    checklist["items"][0].deleted_at = timezone.now()
    checklist["items"][0].save()
    checklist["filming"].deleted_at = timezone.now()
    checklist["filming"].save()

    rows = csv_rows(client_for(viewer).get(url("csv", production)))

    assert [row[7] for row in rows[1:]] == ["Shortlist venues"]


@pytest.mark.parametrize("count", [3, 30])
def test_csv_queries_do_not_grow_with_the_items(
    viewer, production, django_assert_num_queries, count
):
    stage = StageFactory(production=production)
    role = CrewRoleFactory(name="Runner")
    for n in range(count):
        member = CrewMemberFactory(default_role=role)
        ChecklistItemFactory(stage=stage, assignee=member, done=True, done_at=timezone.now())
        if n % 2:
            AssignmentFactory(production=production, crew_member=member, role=role)
    client = client_for(viewer)

    # 1 session, 2 user, 3 production with the user's level, 4 the user's time
    # zone, 5 the assignees' roles here, 6 the items (one query, in chunks).
    with django_assert_num_queries(6):
        rows = csv_rows(client.get(url("csv", production)))

    assert len(rows) == count + 1


# --- Excel ------------------------------------------------------------------------


def test_xlsx_has_all_items_then_a_sheet_per_stage(viewer, production, checklist):
    from openpyxl import load_workbook

    response = client_for(viewer).get(url("xlsx", production))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames == ["All items", "Location scouting", "Filming"]
    sheet = workbook["All items"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:P4"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["H"].width == 44
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ID"
    permits = rows[1]
    assert permits[0] == checklist["items"][0].pk
    assert permits[5] == datetime.datetime(2027, 3, 1)  # a real date
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert permits[12] == datetime.datetime(2027, 3, 4)
    assert rows[2][15] == datetime.datetime(2027, 2, 27, 17, 45)
    assert rows[3][7] == "'=Shoot day"  # text, not a formula
    assert sheet["H4"].data_type == "s"
    assert [r[7] for r in workbook["Filming"].iter_rows(min_row=2, values_only=True)] == [
        "'=Shoot day"
    ]


def test_xlsx_sheet_names_are_made_valid_and_unique(viewer, production):
    for name in ["Sound: check/1?", "Sound: check/1*", "A" * 40, "All items"]:
        ChecklistItemFactory(stage=StageFactory(production=production, name=name))
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body(client_for(viewer).get(url("xlsx", production)))))

    assert workbook.sheetnames == [
        "All items",
        "Sound  check 1",
        "Sound  check 1 (2)",
        "A" * 31,
        "All items (2)",
    ]


# --- PDF and print view ------------------------------------------------------------


def pdf_text(response):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body(response)))
    return [page.extract_text() for page in reader.pages]


def test_pdf_is_the_checklist_grouped_by_stage(viewer, production, checklist):
    response = client_for(viewer).get(url("pdf", production))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_text(response)
    text = "\n".join(pages)
    assert "Neon Nights" in text
    assert text.index("Location scouting") < text.index("Secure permits") < text.index("Filming")
    assert "Lia Chen" in text
    assert "4 Mar 2027" in text
    assert "=Shoot day" in text
    assert "(required)" in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_pdf_for_one_person_lists_only_their_items(viewer, production, checklist):
    response = client_for(viewer).get(url("pdf", production, f"?assignee={checklist['lia'].pk}"))

    text = "\n".join(pdf_text(response))
    assert "Checklist for Lia Chen" in text
    assert "Secure permits" in text
    assert "Shortlist venues" not in text
    assert "lia-chen" in response["Content-Disposition"]


def test_pdf_fetches_nothing_named_in_user_text(viewer, production, monkeypatch):
    ChecklistItemFactory(
        stage=StageFactory(production=production),
        title='<img src="http://169.254.169.254/x"><link rel=stylesheet href="file:///etc/passwd">',
    )
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("the PDF tried to fetch a URL")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)

    text = "\n".join(pdf_text(client_for(viewer).get(url("pdf", production))))

    assert "<img src=" in text  # shown as text


def test_print_view_is_the_same_template_escaped(viewer, production, checklist):
    ChecklistItemFactory(stage=checklist["filming"], title="<script>alert(1)</script>")

    response = client_for(viewer).get(reverse("production_print", args=[production.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert 'href="/static/css/print.css"' in html
    assert "style=" not in html
    assert "Secure permits" in html
    assert reverse("production_export_pdf", args=[production.slug]) in html


# --- Calendar -------------------------------------------------------------------------


def test_ics_has_stage_and_item_events_with_stable_uids(viewer, production, checklist):
    from icalendar import Calendar

    first = body(client_for(viewer).get(url("ics", production)))
    calendar = Calendar.from_ical(first)

    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    scouting, permits = checklist["scouting"], checklist["items"][0]
    stage = events[f"stage-{scouting.pk}@bts-tracker"]
    assert stage.decoded("dtstart") == datetime.date(2027, 3, 1)
    assert stage.decoded("dtend") == datetime.date(2027, 3, 6)
    item = events[f"item-{permits.pk}@bts-tracker"]
    assert str(item["summary"]) == "Due: Secure permits"
    assert item.decoded("dtstart") == datetime.date(2027, 3, 4)
    assert "Assigned to Lia Chen" in str(item["description"])
    assert len(events) == 2  # the other items have no due date, Filming no dates
    assert str(calendar["x-wr-timezone"]) == "UTC"

    again = Calendar.from_ical(body(client_for(viewer).get(url("ics", production))))
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(events)


# --- JSON ---------------------------------------------------------------------------------


def test_json_is_the_whole_production_in_the_documented_format(viewer, production, checklist):
    CommentFactory(item=checklist["items"][0], author=viewer, body="On it")

    response = client_for(viewer).get(url("json", production, "?open=1"))

    doc = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert (doc["format"], doc["version"]) == ("bts-tracker/production", 1)
    assert doc["production"]["title"] == "Neon Nights"
    assert [s["name"] for s in doc["stages"]] == ["Location scouting", "Filming"]
    items = doc["stages"][0]["items"]
    assert [i["title"] for i in items] == ["Secure permits", "Shortlist venues"]  # no filter
    assert items[0]["assignee"] == doc["crew"][0]["id"]
    assert items[0]["comments"][0]["body"] == "On it"
    assert items[1]["done_at"] == "2027-02-27T17:45:00Z"
    assert doc["assignments"] == [{"crew": checklist["lia"].pk, "role": "Gaffer"}]


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_outsiders_get_404_and_anonymous_visitors_log_in(outsider, production, fmt):
    assert client_for(outsider).get(url(fmt, production)).status_code == 404
    response = client_for(None).get(url(fmt, production))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_private_and_a_download(viewer, production, checklist, fmt):
    response = client_for(viewer).get(url(fmt, production))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_is_refused(viewer, production, fmt):
    assert client_for(viewer).post(url(fmt, production)).status_code == 405


def test_items_in_the_trash_stay_out_of_every_format(viewer, production, checklist):
    item = checklist["items"][0]
    ChecklistItem.objects.filter(pk=item.pk).update(deleted_at=timezone.now())
    client = client_for(viewer)

    assert "Secure permits" not in body(client.get(url("csv", production))).decode("utf-8-sig")
    assert "Secure permits" not in "".join(pdf_text(client.get(url("pdf", production))))
    assert b"Secure permits" not in body(client.get(url("ics", production)))
    assert b"Secure permits" not in body(client.get(url("json", production)))
    assert Stage.objects.filter(production=production).count() == 2


def test_a_print_too_long_is_refused_with_a_way_to_narrow_it(logged_in, monkeypatch):
    monkeypatch.setattr(export_views, "PRINT_MAX_ITEMS", 2)
    stage = StageFactory()
    ChecklistItemFactory.create_batch(3, stage=stage)

    for name in ("production_print", "production_export_pdf"):
        response = logged_in.get(reverse(name, args=[stage.production.slug]))
        assert response.status_code == 400
        assert "at most 2 print at once" in response.content.decode()
