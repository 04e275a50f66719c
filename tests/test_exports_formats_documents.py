"""The Excel, PDF, print, calendar and JSON exports: the checklist's rows and
columns read back with the library each format's users rely on (openpyxl,
pypdf, icalendar, json). The CSV export is in tests/test_exports_formats_csv.py."""

import datetime
import io
import json

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.exports_checklist import body, make_checklist, pdf_text, url
from tests.factories import ChecklistItemFactory, CommentFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(production, manager):
    """Two stages with dates, an assigned item with notes and a due date, a done
    one (see tests/exports_checklist.py)."""
    return make_checklist(production, manager)


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
    assert sheet.auto_filter.ref == "A1:Q4"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["H"].width == 44
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ID"
    permits = rows[1]
    assert permits[0] == checklist["items"][0].pk
    assert permits[5] == datetime.datetime(2027, 3, 1)  # a real date
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert permits[13] == datetime.datetime(2027, 3, 4)
    assert rows[2][16] == datetime.datetime(2027, 2, 27, 17, 45)
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
