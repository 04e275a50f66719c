"""Importing checklist items from CSV and Excel: preview, confirm, all or nothing,
and round trips: an unchanged export changes nothing, an edited one changes
exactly the edited rows and duplicates nothing."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from productions.models import Activity, ChecklistItem, Stage
from tests.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    ProductionFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(production, manager):
    lia = CrewMemberFactory(name="Lia Chen")
    AssignmentFactory(production=production, crew_member=lia)
    soundcheck = StageFactory(production=production, name="Soundcheck", position=1)
    rehearsals = StageFactory(production=production, name="Rehearsals", position=2)
    items = [
        ChecklistItemFactory(stage=soundcheck, title="Line check", position=1, assignee=lia),
        ChecklistItemFactory(
            stage=soundcheck,
            title="=Wedges",
            notes="two spare\nthree if outdoors",
            position=2,
            due_date=datetime.date(2027, 3, 9),
        ),
        ChecklistItemFactory(
            stage=rehearsals,
            title="Full run",
            position=1,
            required=True,
            done=True,
            done_at=timezone.now(),
            done_by=manager,
        ),
    ]
    return {"lia": lia, "soundcheck": soundcheck, "rehearsals": rehearsals, "items": items}


def export(client, production, fmt="csv"):
    response = client.get(reverse(f"production_export_{fmt}", args=[production.slug]))
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.getvalue() if hasattr(response, "getvalue") else response.content


def preview(client, production, name, data):
    return client.post(
        reverse("checklist_import", args=[production.slug]),
        {"file": SimpleUploadedFile(name, data)},
    )


def confirm(client, production, response):
    return client.post(
        reverse("checklist_import_confirm", args=[production.slug]),
        {"token": response.context["token"], "digest": response.context["plan"].digest},
    )


def state(production):
    return sorted(
        ChecklistItem.objects.filter(stage__production=production).values_list(
            "pk", "stage_id", "title", "notes", "required", "assignee_id", "due_date", "done"
        )
    )


def edit_csv(data, change):
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    rows = change(rows) or rows
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_an_unchanged_csv_export_changes_nothing(editor, production, checklist):
    client = client_for(editor)
    before, activities = state(production), Activity.objects.count()

    response = preview(client, production, "export.csv", export(client, production))

    assert response.status_code == 200
    plan = response.context["plan"]
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 0, 3)
    assert "nothing to import" in response.content.decode()
    confirm(client, production, response)
    assert state(production) == before
    assert Activity.objects.count() == activities


def test_an_edited_csv_updates_exactly_the_edited_rows(editor, production, checklist):
    client = client_for(editor)
    line, wedges, run = checklist["items"]

    def change(rows):
        header = rows[0]
        col = {name.split(" (")[0]: n for n, name in enumerate(header)}
        rows[1][col["Item"]] = "Line check, all channels"
        rows[2][col["Due"]] = "2027-03-10"
        rows[2][col["Done"]] = "yes"
        rows[3][col["Assignee"]] = "Lia Chen"
        new = [""] * len(header)
        new[col["Stage"]], new[col["Item"]] = "Rehearsals", "Costume run"
        rows.append(new)

    data = edit_csv(export(client, production), change)

    response = preview(client, production, "edited.csv", data)
    plan = response.context["plan"]
    assert [c["title"] for c in plan.creates] == ["Costume run"]
    assert {u["item"]: set(u["changes"]) for u in plan.updates} == {
        line.pk: {"title"},
        wedges.pk: {"due_date", "done"},
        run.pk: {"assignee"},
    }
    html = response.content.decode()
    assert "Line check → Line check, all channels" in html

    response = confirm(client, production, response)

    assert response.status_code == 302
    line.refresh_from_db(), wedges.refresh_from_db(), run.refresh_from_db()
    assert line.title == "Line check, all channels"
    assert line.version == 2
    assert (wedges.due_date, wedges.done, wedges.done_by) == (
        datetime.date(2027, 3, 10),
        True,
        editor,
    )
    assert wedges.title == "=Wedges"  # the defusing quote came off again
    assert wedges.notes == "two spare\nthree if outdoors"
    assert run.assignee == checklist["lia"]
    new = ChecklistItem.objects.get(title="Costume run")
    assert new.stage == checklist["rehearsals"]
    assert new.position == 2
    assert ChecklistItem.objects.filter(stage__production=production).count() == 4
    kinds = list(Activity.objects.filter(production=production).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        [
            "item_added",
            "item_edited",
            "item_edited",
            "item_ticked",
            "item_edited",
            "checklist_imported",
        ]
    )
    assert Activity.objects.filter(actor=editor).count() == 6

    # Importing the new export again changes nothing and duplicates nothing.
    before = state(production)
    again = preview(client, production, "again.csv", export(client, production))
    assert not again.context["plan"].changes_anything
    assert state(production) == before


def test_rows_without_ids_match_by_stage_and_title(editor, production, checklist):
    client = client_for(editor)
    data = "Stage,Item,Notes\nsoundcheck,line check,bring the tester\nSoundcheck,Patch list,\n"

    response = preview(client, production, "plain.csv", data.encode())
    plan = response.context["plan"]

    assert [u["item"] for u in plan.updates] == [checklist["items"][0].pk]
    assert [c["title"] for c in plan.creates] == ["Patch list"]
    confirm(client, production, response)
    assert ChecklistItem.objects.get(pk=checklist["items"][0].pk).notes == "bring the tester"


def test_a_formula_in_a_cell_is_kept_as_text(editor, production, checklist):
    client = client_for(editor)
    data = 'Stage,Item\nSoundcheck,"=HYPERLINK(""http://x"",""y"")"\nSoundcheck,@SUM(A1)\n'

    confirm(client, production, preview(client, production, "f.csv", data.encode()))

    titles = set(ChecklistItem.objects.values_list("title", flat=True))
    assert {'=HYPERLINK("http://x","y")', "@SUM(A1)"} <= titles
    exported = export(client, production).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported
    assert "'@SUM(A1)" in exported


def test_a_semicolon_separated_file_from_a_european_excel_reads(editor, production, checklist):
    data = "\ufeffStage;Item;Due\nSoundcheck;Wedges check;2027-03-01\n".encode()

    response = preview(client_for(editor), production, "eu.csv", data)

    assert [c["title"] for c in response.context["plan"].creates] == ["Wedges check"]


def test_ids_from_another_production_are_refused(editor, production, checklist):
    theirs = ChecklistItemFactory(stage=StageFactory(production=ProductionFactory()))
    data = f"ID,Stage,Item\n{theirs.pk},Soundcheck,Hijack\n".encode()

    response = preview(client_for(editor), production, "x.csv", data)

    assert response.status_code == 422
    assert f"ID {theirs.pk} is not an item of this production" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.title != "Hijack"


def test_one_bad_row_among_good_ones_imports_nothing(editor, production, checklist):
    data = b"Stage,Item\nSoundcheck,Good one\nSound check,Bad one\nSoundcheck,Another good one\n"
    before = state(production)

    response = preview(client_for(editor), production, "x.csv", data)

    assert response.status_code == 422
    html = response.content.decode()
    assert "Row 3, Stage: stage &#x27;Sound check&#x27; does not exist" in html
    assert "1 problem to fix in the file first: nothing was imported." in html
    assert state(production) == before


def test_an_xlsx_export_round_trips(editor, production, checklist):
    from openpyxl import load_workbook

    client = client_for(editor)
    data = export(client, production, "xlsx")
    before = state(production)

    unchanged = preview(client, production, "export.xlsx", data)
    assert unchanged.status_code == 200
    assert not unchanged.context["plan"].changes_anything

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["All items"]
    sheet["H2"] = "Line check (edited in Excel)"
    sheet["N3"] = datetime.datetime(2027, 4, 1)  # Due
    out = io.BytesIO()
    workbook.save(out)

    response = preview(client, production, "edited.xlsx", out.getvalue())
    plan = response.context["plan"]
    assert {u["item"]: set(u["changes"]) for u in plan.updates} == {
        checklist["items"][0].pk: {"title"},
        checklist["items"][1].pk: {"due_date"},
    }
    assert not plan.creates
    confirm(client, production, response)
    assert len(state(production)) == len(before)
    assert ChecklistItem.objects.get(pk=checklist["items"][1].pk).due_date == datetime.date(
        2027, 4, 1
    )


def test_a_change_between_preview_and_confirm_shows_the_new_preview(editor, production, checklist):
    client = client_for(editor)
    data = b"Stage,Item,Notes\nSoundcheck,Line check,new notes\n"
    response = preview(client, production, "x.csv", data)
    ChecklistItem.objects.filter(pk=checklist["items"][0].pk).update(title="Renamed meanwhile")

    answer = confirm(client, production, response)

    assert answer.status_code == 409
    assert "The checklist changed since your preview" in answer.content.decode()
    assert not ChecklistItem.objects.filter(notes="new notes").exists()
    assert [c["title"] for c in answer.context["plan"].creates] == ["Line check"]


def test_a_preview_is_used_once(editor, production, checklist):
    client = client_for(editor)
    response = preview(client, production, "x.csv", b"Stage,Item\nSoundcheck,Once\n")
    confirm(client, production, response)

    again = confirm(client, production, response)

    assert again.status_code == 409
    assert "out of date or was already used" in again.content.decode()
    assert ChecklistItem.objects.filter(title="Once").count() == 1


def test_a_forged_token_is_refused(editor, production, checklist):
    response = client_for(editor).post(
        reverse("checklist_import_confirm", args=[production.slug]),
        {"token": "x" * 20, "digest": "y" * 64},
    )

    assert response.status_code == 409


def test_a_failure_while_applying_leaves_nothing_behind(editor, production, checklist, monkeypatch):
    client = client_for(editor)
    response = preview(client, production, "x.csv", b"Stage,Item,Done\nSoundcheck,New,yes\n")
    before, activities = state(production), Activity.objects.count()

    def boom(stage_ids):
        raise RuntimeError("database went away")

    monkeypatch.setattr("productions.services.imports.recount_stages", boom)
    client.raise_request_exception = False
    answer = confirm(client, production, response)

    assert answer.status_code == 500
    assert state(production) == before
    assert Activity.objects.count() == activities


def test_importing_ticks_moves_the_stage_status(editor, production, checklist):
    client = client_for(editor)
    data = b"Stage,Item,Done\nSoundcheck,Line check,yes\nSoundcheck,=Wedges,yes\n"

    confirm(client, production, preview(client, production, "x.csv", data))

    assert Stage.objects.get(pk=checklist["soundcheck"].pk).status == Stage.Status.DONE


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("outsider", 404)])
def test_only_editors_may_import(cast, production, checklist, who, status):
    client = client_for(cast[who])
    url = reverse("checklist_import", args=[production.slug])

    assert client.get(url).status_code == status
    assert preview(client, production, "x.csv", b"Stage,Item\nSoundcheck,X\n").status_code == status
    assert not ChecklistItem.objects.filter(title="X").exists()


def test_the_import_page_labels_its_control(editor, production):
    html = client_for(editor).get(reverse("checklist_import", args=[production.slug])).content
    html = html.decode()

    assert '<label class="form-label" for="import-file">CSV or Excel file</label>' in html
    assert "style=" not in html


def test_the_preview_queries_do_not_grow_with_the_rows(
    editor, production, checklist, django_assert_num_queries
):
    client = client_for(editor)
    data = ("Stage,Item\n" + "".join(f"Soundcheck,New {n}\n" for n in range(50))).encode()
    client.get(reverse("checklist_import", args=[production.slug]))

    # 1 session, 2 user, 3 production with the user's level, 4 stages,
    # 5 items, 6 the crew assigned here, 7 the crew directory, 8-10 save the
    # session holding the upload until it is confirmed (in a savepoint).
    with django_assert_num_queries(10):
        response = preview(client, production, "x.csv", data)

    assert len(response.context["plan"].creates) == 50
