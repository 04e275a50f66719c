"""The checklist every export format is read back from, and the helpers to
fetch and read an export: shared by the tests/test_exports_formats_*.py files."""

import csv
import datetime
import io

from django.urls import reverse

from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    StageFactory,
)

FORMATS = ["csv", "xlsx", "pdf", "ics", "json"]


def make_checklist(production, manager):
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


def pdf_text(response):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body(response)))
    return [page.extract_text() for page in reader.pages]
