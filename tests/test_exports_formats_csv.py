"""The CSV export: every visible field with the id first, times in the
user's time zone, the filter (and a filter naming another production's stage,
in every format), the file name, the trash left out, and a query count that
does not grow with the items. The same rows in the other formats are in
tests/test_exports_formats_documents.py, the access rules in
tests/test_exports_formats_access.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from productions.models import Profile
from tests.conftest import client_for
from tests.exports_checklist import body, csv_rows, make_checklist, url
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(production, manager):
    """Two stages with dates, an assigned item with notes and a due date, a done
    one (see tests/exports_checklist.py)."""
    return make_checklist(production, manager)


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
        "Location",
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
        "",
        "yes",
        "Lia Chen",
        "Gaffer",
        "2027-03-04",
        "no",
        "",
        "",
    ]
    assert rows[1][14:] == ["yes", "mina", "2027-02-27 18:45"]
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
