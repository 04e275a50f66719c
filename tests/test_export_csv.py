import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from productions.models import CrewRole, Stage
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    ProductionFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["Production", "Stage", "Phase", "Item", "Assignee", "Role", "Due", "Done", "Done at"]


def export_url(production):
    return reverse("production_export_csv", args=[production.slug])


def export(client, production):
    response = client.get(export_url(production))
    assert response.status_code == 200
    return response


# The export's columns are those of productions.exports.COLUMNS (the ID first);
# these tests read the original nine of them, by header.
ORIGINAL_NINE = (
    "Production",
    "Stage",
    "Phase",
    "Item",
    "Assignee",
    "Role",
    "Due",
    "Done",
    "Done at",
)


def rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    read = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    labels = [label.split(" (")[0] for label in read[0]]  # "Done at (UTC)": "Done at"
    at = [labels.index(label) for label in ORIGINAL_NINE]
    header = [read[0][n].removesuffix(" (UTC)") for n in at]
    return [header] + [[row[n] for n in at] for row in read[1:]]


def test_it_sends_a_csv_attachment_named_after_the_production(logged_in):
    production = ProductionFactory(slug="neon-nights")

    response = export(logged_in, production)

    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    filename = disposition.split("filename=")[1].strip('"')
    assert "neon-nights" in filename
    assert filename.endswith(".csv")


def test_it_starts_with_a_byte_order_mark_and_the_header(logged_in):
    response = export(logged_in, ProductionFactory())

    assert rows(response) == [HEADER]


def test_it_writes_one_row_per_item_in_stage_then_item_order(logged_in):
    production = ProductionFactory()
    second = StageFactory(production=production, name="Filming", position=2)
    first = StageFactory(production=production, name="Scouting", position=1)
    ChecklistItemFactory(stage=second, title="Shoot", position=1)
    ChecklistItemFactory(stage=first, title="Permits", position=2)
    ChecklistItemFactory(stage=first, title="Shortlist", position=1)
    ChecklistItemFactory(stage=second, title="Back up", position=2)

    data = rows(export(logged_in, production))[1:]

    assert [(row[1], row[3]) for row in data] == [
        ("Scouting", "Shortlist"),
        ("Scouting", "Permits"),
        ("Filming", "Shoot"),
        ("Filming", "Back up"),
    ]


def test_it_leaves_out_other_productions_items(logged_in):
    item = ChecklistItemFactory(title="Mine")
    ChecklistItemFactory(title="Theirs")

    data = rows(export(logged_in, item.stage.production))[1:]

    assert [row[3] for row in data] == ["Mine"]


def test_it_writes_every_column_of_an_open_item(logged_in):
    item = ChecklistItemFactory(
        title="Secure location permits",
        stage__name="Location scouting",
        stage__phase=Stage.Phase.PRE_PRODUCTION,
        stage__production__title="Neon Nights",
        assignee=CrewMemberFactory(name="Mina Park"),
        due_date=datetime.date(2026, 5, 1),
    )

    data = rows(export(logged_in, item.stage.production))[1:]

    assert data == [
        [
            "Neon Nights",
            "Location scouting",
            "Pre-production",
            "Secure location permits",
            "Mina Park",
            "",
            "2026-05-01",
            "no",
            "",
        ]
    ]


def test_it_writes_when_an_item_was_done(logged_in, settings):
    settings.TIME_ZONE = "UTC"
    done_at = datetime.datetime(2026, 5, 1, 14, 30, tzinfo=datetime.UTC)
    item = ChecklistItemFactory(done=True, done_at=done_at)

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[7:] == ["yes", "2026-05-01 14:30"]


def test_it_writes_the_done_time_in_local_time(logged_in, settings):
    settings.TIME_ZONE = "Europe/Madrid"
    done_at = datetime.datetime(2026, 5, 1, 14, 30, tzinfo=datetime.UTC)
    item = ChecklistItemFactory(done=True, done_at=done_at)

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[8] == "2026-05-01 16:30"


def test_it_gives_the_assignees_role_on_this_production(logged_in):
    member = CrewMemberFactory(default_role=CrewRole.objects.get(name="Director"))
    item = ChecklistItemFactory(assignee=member)
    AssignmentFactory(
        production=item.stage.production,
        crew_member=member,
        role=CrewRole.objects.get(name="Choreographer"),
    )
    AssignmentFactory(crew_member=member, role=CrewRole.objects.get(name="Editor"))

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[5] == "Choreographer"


def test_it_gives_every_role_the_assignee_holds_on_this_production(logged_in):
    member = CrewMemberFactory()
    item = ChecklistItemFactory(assignee=member)
    for name in ["Producer", "Director"]:
        AssignmentFactory(
            production=item.stage.production,
            crew_member=member,
            role=CrewRole.objects.get(name=name),
        )

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[5] == "Director; Producer"


def test_it_falls_back_to_the_assignees_default_role(logged_in):
    member = CrewMemberFactory(default_role=CrewRole.objects.get(name="Sound engineer"))
    item = ChecklistItemFactory(assignee=member)
    AssignmentFactory(crew_member=member, role=CrewRole.objects.get(name="Editor"))

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[5] == "Sound engineer"


def test_it_leaves_the_role_empty_for_an_assignee_without_one(logged_in):
    item = ChecklistItemFactory(assignee=CrewMemberFactory())

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[4] != ""
    assert row[5] == ""


def test_it_keeps_non_ascii_text(logged_in):
    item = ChecklistItemFactory(
        title="Ensayo con Tomás",
        stage__name="Coreografía",
        stage__production__title="Beyoncé – Ça va",
        assignee=CrewMemberFactory(name="Tomás Silva"),
    )

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[:5] == [
        "Beyoncé – Ça va",
        "Coreografía",
        "Pre-production",
        "Ensayo con Tomás",
        "Tomás Silva",
    ]


@pytest.mark.parametrize(
    "text", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\t=1+2", "\r=1+2", "\n=1+2"]
)
def test_it_defuses_cells_that_look_like_formulas(logged_in, text):
    item = ChecklistItemFactory(
        title=text,
        stage__name=text,
        stage__production__title=text,
        assignee=CrewMemberFactory(name=text),
    )

    row = rows(export(logged_in, item.stage.production))[1]

    assert [row[0], row[1], row[3], row[4]] == [f"'{text}"] * 4


def test_it_defuses_a_role_that_looks_like_a_formula(logged_in):
    role = CrewRoleFactory(name="=cmd|' /C calc'!A0")
    item = ChecklistItemFactory(assignee=CrewMemberFactory(default_role=role))

    row = rows(export(logged_in, item.stage.production))[1]

    assert row[5] == "'=cmd|' /C calc'!A0"


def test_it_leaves_ordinary_text_alone(logged_in):
    item = ChecklistItemFactory(title="Rehearse - full run", stage__production__title="A=B")

    row = rows(export(logged_in, item.stage.production))[1]

    assert (row[0], row[3]) == ("A=B", "Rehearse - full run")


def test_it_answers_404_for_an_unknown_production(logged_in):
    response = logged_in.get(reverse("production_export_csv", args=["no-such-production"]))

    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client):
    production = ProductionFactory()

    response = client.get(export_url(production))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={export_url(production)}"


@pytest.mark.parametrize("count", [5, 50])
def test_it_exports_in_a_fixed_number_of_queries(logged_in, django_assert_num_queries, count):
    production = ProductionFactory()
    role = CrewRole.objects.get(name="Director")
    stages = StageFactory.create_batch(count // 5, production=production)
    for n in range(count):
        member = CrewMemberFactory(default_role=role)
        ChecklistItemFactory(
            stage=stages[n % len(stages)], assignee=member, done=True, done_at=timezone.now()
        )
        if n % 3 == 0:
            AssignmentFactory(production=production, crew_member=member, role=role)

    # Session, user, production with the user's level, the user's time zone,
    # assignments, items.
    with django_assert_num_queries(6):
        response = export(logged_in, production)
        assert len(rows(response)) == count + 1


def test_it_leaves_out_items_in_the_trash(logged_in):
    kept = ChecklistItemFactory(title="Kept")
    gone = ChecklistItemFactory(stage=kept.stage, title="Binned")
    gone.deleted_at = timezone.now()
    gone.save()

    titles = [row[3] for row in rows(export(logged_in, kept.stage.production))[1:]]

    assert titles == ["Kept"]


def test_it_sends_no_store(logged_in):
    response = export(logged_in, ChecklistItemFactory().stage.production)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
