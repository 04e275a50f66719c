"""A production exported as JSON comes back as a new production: export →
import → export gives the same file but for ids, slugs and the export time."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from productions.models import (
    Activity,
    ChecklistItem,
    Comment,
    CrewMember,
    Membership,
    Production,
)
from productions.services.counters import wrong_counters
from tests.conftest import HTMX, client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CommentFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_production(production, manager, viewer):
    lia = CrewMemberFactory(name="Lia Chen", email="lia@example.com", phone="+34 600")
    tomas = CrewMemberFactory(name="Tomás Silva")
    role = CrewRoleFactory(name="Choreographer")
    AssignmentFactory(production=production, crew_member=lia, role=role)
    production.artist, production.start_date = "Ça Va", datetime.date(2027, 3, 1)
    production.save()
    stage = StageFactory(
        production=production, name="Rehearsals", position=1, due_date=datetime.date(2027, 3, 2)
    )
    StageFactory(production=production, name="Empty stage", position=2, notes="nothing yet")
    item = ChecklistItemFactory(
        stage=stage,
        title="=Full run",
        notes="in costume",
        assignee=lia,
        required=True,
        done=True,
        done_at=datetime.datetime(2027, 2, 28, 10, 0, tzinfo=datetime.UTC),
        done_by=manager,
        position=1,
    )
    ChecklistItemFactory(stage=stage, title="Notes to cast", assignee=tomas, position=2)
    CommentFactory(
        item=item,
        author=viewer,
        body="<b>great</b>",
        created_at=datetime.datetime(2027, 2, 28, 11, 0, tzinfo=datetime.UTC),
    )
    return production


def export(client, production):
    response = client.get(reverse("production_export_json", args=[production.slug]))
    assert response.status_code == 200
    return response.content


def upload(client, name, data, **extra):
    return client.post(
        reverse("production_import"), {"file": SimpleUploadedFile(name, data)}, **extra
    )


def without_ids(doc):
    doc = json.loads(json.dumps(doc))
    doc.pop("exported_at")
    doc["production"].pop("id")
    doc["production"].pop("slug")
    crew_names = {c["id"]: c["name"] for c in doc["crew"]}
    for c in doc["crew"]:
        c.pop("id")
    for a in doc["assignments"]:
        a["crew"] = crew_names[a["crew"]]
    for s in doc["stages"]:
        s.pop("id")
        for i in s["items"]:
            i.pop("id")
            i["assignee"] = crew_names.get(i["assignee"])
    return doc


def test_export_import_export_is_identical_but_for_ids(manager, full_production):
    client = client_for(manager)
    first = export(client, full_production)
    crew_before = CrewMember.objects.count()

    response = upload(client, "neon.json", first)

    assert response.status_code == 302
    copy = Production.objects.exclude(pk=full_production.pk).get()
    assert response.url == copy.get_absolute_url()
    assert copy.slug != full_production.slug
    assert Membership.objects.get(production=copy).user == manager
    assert CrewMember.objects.count() == crew_before  # matched, not duplicated
    second = export(client, copy)
    assert without_ids(json.loads(second)) == without_ids(json.loads(first))
    entry = Activity.objects.get(production=copy)
    assert (entry.kind, entry.actor, entry.changes["imported_from"]) == (
        "production_created",
        manager,
        "neon.json",
    )


def test_crew_unknown_here_join_the_directory(manager, full_production):
    doc = json.loads(export(client_for(manager), full_production))
    doc["crew"][0]["email"], doc["crew"][0]["name"] = "new@example.com", "Nora New"

    upload(client_for(manager), "x.json", json.dumps(doc).encode())

    assert CrewMember.objects.filter(name="Nora New", email="new@example.com").exists()


BAD = {
    "not json": (b"{nope", "The file is not valid JSON (line 1, column 2)."),
    "not ours": (b'{"hello": 1}', "is JSON but not a BTS Tracker production"),
    "future version": (
        b'{"format": "bts-tracker/production", "version": 9}',
        "this BTS Tracker reads version 1",
    ),
    "latin-1": ('{"t": "é"}'.encode("latin-1"), "The file is not UTF-8 text"),
    "empty": (b"", "The file is empty."),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_json_files_are_refused_with_a_message(manager, case):
    data, message = BAD[case]
    count = Production.objects.count()

    response = upload(client_for(manager), "x.json", data)

    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Production.objects.count() == count


def test_every_problem_of_a_document_is_listed_and_nothing_is_made(manager, full_production):
    doc = json.loads(export(client_for(manager), full_production))
    doc["production"]["kind"] = "opera"
    doc["stages"][0]["due_date"] = "2027-02-30"
    doc["stages"][0]["items"][0]["assignee"] = 424242
    doc["assignments"][0]["role"] = "Wizard"
    count = Production.objects.count()

    response = upload(client_for(manager), "x.json", json.dumps(doc).encode(), **HTMX)

    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 422
    assert html.lstrip().startswith('<form id="production-import"')
    assert "production.kind: 'opera' is not one of" in html
    assert "stages[0].due_date: '2027-02-30' is not a real date." in html
    assert "stages[0].items[0].assignee: 424242 is not the id of anyone in crew." in html
    assert "assignments[0].role: there is no crew role called 'Wizard'." in html
    assert Production.objects.count() == count
    assert ChecklistItem.objects.filter(stage__production__title="Neon Nights").count() == 2


def test_a_csv_is_not_a_production(manager):
    response = upload(client_for(manager), "x.csv", b"Stage,Item\n")

    assert response.status_code == 422
    assert "Only a .json file exported from BTS Tracker" in response.content.decode()


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("production_import"))

    assert response.status_code == 302


def test_an_imported_production_counts_its_items(manager, full_production):
    client = client_for(manager)

    upload(client, "neon.json", export(client, full_production))

    copy = Production.objects.exclude(pk=full_production.pk).get()
    rows = ChecklistItem.objects.filter(stage__production=copy)
    assert (copy.item_count, copy.done_count) == (rows.count(), rows.filter(done=True).count())
    assert copy.item_count > 0
    assert not [what for what, _, _ in wrong_counters() if what == f"production {copy.pk}"]


def test_a_file_cannot_credit_strangers_with_ticks_or_comments(manager, full_production):
    document = json.loads(export(client_for(manager), full_production))
    stranger = UserFactory(username="mallory")
    item = document["stages"][0]["items"][0]
    item["comments"] = [{"author": "mallory", "body": "I approve", "created_at": None}]

    upload(client_for(manager), "neon.json", json.dumps(document).encode())

    copy = Production.objects.exclude(pk=full_production.pk).get()
    comment = Comment.objects.get(item__stage__production=copy, body="I approve")
    assert comment.author != stranger
