"""Every export downloads from the production page, filtered or not, in a real browser."""

import csv
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from productions.models import Membership
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def download(page, name):
    with page.expect_download() as info:
        page.get_by_role(name.split(":")[0], name=name.split(":")[1]).click()
    return info.value


def test_each_format_downloads_from_the_production_page(page, live_server, console_errors):
    viewer = UserFactory(username="vera")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=viewer, level=Membership.Level.VIEWER)
    stage = StageFactory(production=production, name="Filming", position=1)
    ChecklistItemFactory(stage=stage, title="Book the drone", due_date="2027-03-05")
    ChecklistItemFactory(stage=stage, title="Shoot", done=True, done_at="2027-03-01T10:00Z")

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/productions/neon-nights/")
    page.get_by_text("Export, print, calendar and import").click()

    csv_file = download(page, "button:Download CSV")
    assert csv_file.suggested_filename.startswith("neon-nights-checklist-")
    rows = list(csv.reader(io.StringIO(Path(csv_file.path()).read_text(encoding="utf-8-sig"))))
    assert [row[7] for row in rows[1:]] == ["Book the drone", "Shoot"]

    workbook = load_workbook(
        io.BytesIO(Path(download(page, "button:Download Excel").path()).read_bytes())
    )
    assert workbook.sheetnames == ["All items", "Filming"]

    pdf = PdfReader(download(page, "button:Download PDF").path())
    assert "Book the drone" in pdf.pages[0].extract_text()

    ics = Calendar.from_ical(
        Path(download(page, "button:Download calendar (.ics)").path()).read_bytes()
    )
    assert [str(e["summary"]) for e in ics.walk("VEVENT")] == ["Due: Book the drone"]

    doc = json.loads(Path(download(page, "link:Whole production (JSON)").path()).read_text())
    assert doc["production"]["title"] == "Neon Nights"

    # Filtered: open items only.
    page.get_by_label("Open items only").check()
    filtered = download(page, "button:Download CSV")
    assert "-open-" in filtered.suggested_filename
    rows = list(csv.reader(io.StringIO(Path(filtered.path()).read_text(encoding="utf-8-sig"))))
    assert [row[7] for row in rows[1:]] == ["Book the drone"]

    # The print view opens as a page, under the CSP, with its Print button.
    page.get_by_role("button", name="Print view").click()
    expect(page.get_by_role("heading", name="Neon Nights")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    expect(page.get_by_text("Book the drone")).to_be_visible()
    expect(page.get_by_text("Shoot", exact=True)).to_have_count(0)
    assert console_errors == []
