"""Bulk edits (issue 6, capability 6): check items (or take all matching the
filter) and mark done / not done, assign, set a due date, move to a stage or
delete — one request, one transaction, one activity entry per item, and one
Undo for the whole action."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertRedirects

from productions import services
from productions.models import Activity, BulkAction, ChecklistItem
from productions.services.bulk import MAX_ITEMS
from productions.services.counters import recount_production, wrong_counters
from tests.conftest import HTMX, client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    StageFactory,
)

Kind = Activity.Kind


@pytest.fixture
def stages(production):
    return [
        StageFactory(production=production, name="Wardrobe", position=1),
        StageFactory(production=production, name="Filming", position=2),
    ]


@pytest.fixture
def items(stages):
    wardrobe, filming = stages
    rows = [
        ChecklistItemFactory(stage=wardrobe, title="Fit jackets", position=1),
        ChecklistItemFactory(stage=wardrobe, title="Steam shirts", position=2),
        ChecklistItemFactory(stage=filming, title="Book crane", position=1),
        ChecklistItemFactory(stage=filming, title="Charge batteries", position=2),
    ]
    recount_production(wardrobe.production_id)
    return rows


@pytest.fixture
def lia(production):
    lia = CrewMemberFactory(name="Lia")
    AssignmentFactory(production=production, crew_member=lia)
    return lia


def url(production, query=""):
    return f"/productions/{production.slug}/bulk/{query}"


def pks(*rows):
    return [row.pk for row in rows]


def test_marking_checked_items_done_logs_one_entry_each_and_offers_undo(editor, production, items):
    client = client_for(editor)
    response = client.post(url(production), {"action": "done", "items": pks(*items[:3])})

    bulk = BulkAction.objects.get()
    assertRedirects(
        response,
        f"/productions/{production.slug}/?bulk={bulk.pk}#checklist",
        fetch_redirect_response=False,
    )
    assert bulk.summary == "Marked 3 items done"
    assert set(ChecklistItem.objects.filter(done=True).values_list("title", flat=True)) == {
        "Fit jackets",
        "Steam shirts",
        "Book crane",
    }
    entries = Activity.objects.filter(bulk=bulk)
    assert entries.count() == 3
    assert set(entries.values_list("kind", flat=True)) == {Kind.ITEM_TICKED}
    assert wrong_counters() == []
    page = client.get(response.url)
    assertContains(page, "Marked 3 items done.")
    assertContains(page, f'action="/bulk/{bulk.pk}/undo/')


def test_undo_puts_every_item_back_in_one_step(editor, production, items):
    client = client_for(editor)
    client.post(url(production), {"action": "done", "items": pks(*items)})
    bulk = BulkAction.objects.get()

    response = client.post(f"/bulk/{bulk.pk}/undo/")

    assertRedirects(
        response,
        f"/productions/{production.slug}/?undone=1#checklist",
        fetch_redirect_response=False,
    )
    assert not ChecklistItem.objects.filter(done=True).exists()
    bulk.refresh_from_db()
    assert bulk.undone_by == editor
    assert Activity.objects.filter(bulk=bulk, kind=Kind.ITEM_UNTICKED).count() == 4
    assert wrong_counters() == []
    # A second Undo (a double click) changes nothing and says so.
    again = client.post(f"/bulk/{bulk.pk}/undo/", follow=True)
    assertContains(again, "already undone")
    assert Activity.objects.filter(bulk=bulk).count() == 8


def test_undo_leaves_alone_an_item_someone_changed_since(editor, manager, production, items):
    client = client_for(editor)
    client.post(url(production), {"action": "done", "items": pks(*items[:2])})
    bulk = BulkAction.objects.get()
    services.set_item_done(items[0], False, by=manager)
    services.set_item_done(items[0], True, by=manager)  # still done, but by them
    services.set_item_done(items[1], False, by=manager)

    response = client.post(f"/bulk/{bulk.pk}/undo/", follow=True)

    assertContains(response, "1 item was changed by someone since")
    assert ChecklistItem.objects.get(pk=items[0].pk).done is False
    assert ChecklistItem.objects.get(pk=items[1].pk).done is False
    assert wrong_counters() == []


def test_assign_and_undo_restore_each_items_own_assignee(editor, production, items, lia):
    other = CrewMemberFactory(name="Noor")
    services.update_item(items[0], by=editor, assignee=other)
    client = client_for(editor)

    client.post(url(production), {"action": "assign", "assignee": lia.pk, "items": pks(*items[:2])})

    assert set(ChecklistItem.objects.filter(assignee=lia).values_list("pk", flat=True)) == set(
        pks(*items[:2])
    )
    entry = Activity.objects.filter(bulk__isnull=False, item=items[0]).get()
    assert entry.changes == {"assignee": ["Noor", "Lia"]}
    client.post(f"/bulk/{BulkAction.objects.get().pk}/undo/")
    assert ChecklistItem.objects.get(pk=items[0].pk).assignee == other
    assert ChecklistItem.objects.get(pk=items[1].pk).assignee is None


def test_due_date_is_set_and_cleared(editor, production, items):
    client = client_for(editor)
    client.post(url(production), {"action": "due", "due_date": "2026-12-24", "items": pks(*items)})
    assert set(ChecklistItem.objects.values_list("due_date", flat=True)) == {
        datetime.date(2026, 12, 24)
    }
    client.post(url(production), {"action": "due", "due_date": "", "items": pks(items[0])})
    assert ChecklistItem.objects.get(pk=items[0].pk).due_date is None
    # Undo of the first change: the three untouched since go back to no date.
    first = BulkAction.objects.order_by("pk").first()
    client.post(f"/bulk/{first.pk}/undo/")
    assert set(ChecklistItem.objects.values_list("due_date", flat=True)) == {None}


def test_move_to_a_stage_appends_in_order_and_moves_counters(editor, production, stages, items):
    wardrobe, filming = stages
    services.set_item_done(items[0], True, by=editor)
    client = client_for(editor)

    client.post(url(production), {"action": "move", "stage": filming.pk, "items": pks(*items[:2])})

    titles = list(filming.items.order_by("position").values_list("title", flat=True))
    assert titles == ["Book crane", "Charge batteries", "Fit jackets", "Steam shirts"]
    filming.refresh_from_db()
    wardrobe.refresh_from_db()
    assert (filming.item_count, filming.done_count) == (4, 1)
    assert (wardrobe.item_count, wardrobe.done_count) == (0, 0)
    assert wrong_counters() == []
    client.post(f"/bulk/{BulkAction.objects.get().pk}/undo/")
    assert set(wardrobe.items.values_list("title", flat=True)) == {"Fit jackets", "Steam shirts"}
    assert wrong_counters() == []


def test_delete_moves_to_the_trash_and_undo_restores(editor, production, items):
    client = client_for(editor)
    client.post(url(production), {"action": "delete", "items": pks(*items[:3])})
    assert ChecklistItem.objects.count() == 1
    assert ChecklistItem.all_objects.filter(deleted_at__isnull=False).count() == 3
    production.refresh_from_db()
    assert production.item_count == 1
    client.post(f"/bulk/{BulkAction.objects.get().pk}/undo/")
    assert ChecklistItem.objects.count() == 4
    assert wrong_counters() == []


def test_all_matching_the_filter_takes_only_the_filtered_items(editor, production, items):
    client = client_for(editor)
    response = client.post(url(production, "?q=shirts"), {"action": "done", "all_matching": "on"})

    assert ChecklistItem.objects.get(done=True).title == "Steam shirts"
    # Back on the same filtered page.
    assert response.url.startswith(f"/productions/{production.slug}/?q=shirts&bulk=")


def test_items_of_another_production_are_not_touched(editor, production, items):
    stranger = ChecklistItemFactory(title="Not yours")
    client_for(editor).post(
        url(production), {"action": "delete", "items": [stranger.pk, items[0].pk]}
    )
    assert ChecklistItem.objects.filter(pk=stranger.pk).exists()
    assert Activity.objects.filter(bulk__isnull=False).count() == 1


def test_items_already_in_the_wanted_state_are_not_logged(editor, production, items):
    client = client_for(editor)
    client.post(url(production), {"action": "done", "items": pks(items[0])})
    response = client.post(url(production), {"action": "done", "items": pks(items[0])}, follow=True)
    assertContains(response, "Nothing changed")
    assert Activity.objects.filter(kind=Kind.ITEM_TICKED).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"items": ["1"]}, "Choose what to do"),
        ({"action": "done"}, "Select some items first"),
        ({"action": "move", "items": ["1"]}, "Choose the stage"),
        ({"action": "due", "due_date": "31/31/2026", "items": ["1"]}, "valid date"),
        ({"action": "explode", "items": ["1"]}, "valid choice"),
        ({"action": "done", "items": ["1; drop table"]}, "unknown item"),
        ({"action": "done", "items": ["99999999999999"]}, "unknown item"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_with_htmx(editor, production, items, data, message):
    response = client_for(editor).post(url(production), data, **HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#bulk-form"
    assertContains(response, message, status_code=422)
    assert not Activity.objects.filter(bulk__isnull=False).exists()


def test_bad_input_without_javascript_keeps_the_selection(editor, production, items):
    response = client_for(editor).post(url(production), {"items": pks(*items[:2])})
    assert response.status_code == 422
    for item in items[:2]:
        assertContains(response, f'name="items" value="{item.pk}"', status_code=422)


def test_too_many_items_are_refused_with_a_message(editor, production, stages, monkeypatch):
    monkeypatch.setattr("productions.services.bulk.MAX_ITEMS", 2)
    monkeypatch.setattr("productions.views.bulk.MAX_ITEMS", 2)
    for n in range(3):
        ChecklistItemFactory(stage=stages[0], title=f"Item {n}")
    response = client_for(editor).post(
        url(production), {"action": "done", "all_matching": "on"}, **HTMX
    )
    assertContains(response, "at most 2", status_code=422)
    assert not ChecklistItem.objects.filter(done=True).exists()
    assert MAX_ITEMS == 1000


def test_a_viewer_may_not_bulk_edit_or_undo(viewer, editor, production, items):
    response = client_for(viewer).post(url(production), {"action": "delete", "items": pks(*items)})
    assert response.status_code == 403
    client_for(editor).post(url(production), {"action": "done", "items": pks(*items)})
    bulk = BulkAction.objects.get()
    assert client_for(viewer).post(f"/bulk/{bulk.pk}/undo/").status_code == 403
    assert ChecklistItem.objects.filter(done=True).count() == 4


def test_an_outsider_gets_404(outsider, editor, production, items):
    assert (
        client_for(outsider)
        .post(url(production), {"action": "done", "items": pks(*items)})
        .status_code
        == 404
    )
    client_for(editor).post(url(production), {"action": "done", "items": pks(*items)})
    bulk = BulkAction.objects.get()
    assert client_for(outsider).post(f"/bulk/{bulk.pk}/undo/").status_code == 404


def test_the_page_shows_a_select_box_per_row_for_editors_only(editor, viewer, production, items):
    page = client_for(editor).get(production.get_absolute_url())
    assertContains(page, f'aria-label="Select {items[0].title}"')
    assertContains(page, "All 4 items, not only the checked ones")
    assert "bulk-form" not in client_for(viewer).get(production.get_absolute_url()).text


def test_the_undo_banner_shows_only_right_after_the_change(editor, production, items):
    client = client_for(editor)
    client.post(url(production), {"action": "done", "items": pks(*items)})
    bulk = BulkAction.objects.get()
    page = client.get(f"{production.get_absolute_url()}?bulk={bulk.pk}")
    assertContains(page, 'id="bulk-done"')
    client.post(f"/bulk/{bulk.pk}/undo/")
    page = client.get(f"{production.get_absolute_url()}?bulk={bulk.pk}")
    assert 'id="bulk-done"' not in page.text
    assert client.get(f"{production.get_absolute_url()}?bulk=xyz").status_code == 200


def test_a_bulk_change_costs_the_same_queries_at_10_and_300_items(editor, production, stages):
    client = client_for(editor)

    def change_all(day):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                url(production), {"action": "due", "due_date": day, "all_matching": "on"}
            )
        assert response.status_code == 302
        return [q["sql"] for q in queries.captured_queries]

    def grow_to(size):
        have = ChecklistItem.objects.count()
        for n in range(have, size):
            ChecklistItemFactory(stage=stages[n % 2], title=f"Item {n}", position=n)
        recount_production(production.pk)

    grow_to(10)
    small = change_all("2026-12-01")
    grow_to(300)
    large = change_all("2026-12-02")
    assert ChecklistItem.objects.filter(due_date=datetime.date(2026, 12, 2)).count() == 300
    assert wrong_counters() == []
    # session, user, production + level, crew (form), stages (form), the
    # matching pks; then in the transaction: lock the items, UPDATE them, the
    # BulkAction row, lock the stages, the production's UPDATE, the entries'
    # INSERT; the message saved in the session.
    assert len(small) == len(large), (small, large)


def test_undo_of_mark_not_done_gives_back_who_ticked_and_when(editor, manager, production, items):
    ticked = services.set_item_done(items[0], True, by=manager)
    client = client_for(editor)
    client.post(url(production), {"action": "undone", "items": pks(items[0])})
    client.post(f"/bulk/{BulkAction.objects.get().pk}/undo/")
    item = ChecklistItem.objects.get(pk=items[0].pk)
    assert (item.done, item.done_by, item.done_at) == (True, manager, ticked.done_at)


def test_nothing_changed_records_no_action(editor, production, items):
    client_for(editor).post(url(production), {"action": "undone", "items": pks(*items)})
    assert not BulkAction.objects.exists()


def test_a_value_the_chosen_change_does_not_use_is_ignored(editor, production, items):
    response = client_for(editor).post(
        url(production), {"action": "done", "stage": "999999", "items": pks(items[0])}, **HTMX
    )
    assert response.status_code == 302
    assert ChecklistItem.objects.get(pk=items[0].pk).done


def test_bulk_assign_entries_name_the_stage(editor, production, items, lia):
    client_for(editor).post(
        url(production), {"action": "assign", "assignee": lia.pk, "items": pks(items[0])}
    )
    assert Activity.objects.get(bulk__isnull=False).stage == items[0].stage


def test_a_stage_deleted_meanwhile_refuses_the_whole_change(
    editor, production, stages, items, monkeypatch
):
    from productions.services import bulk as bulk_service

    real = bulk_service.lock_stages

    def delete_first(pks):
        # Someone trashes a stage between our item locks and stage locks.
        services.delete_stage(stages[0], by=editor)
        return real(pks)

    monkeypatch.setattr(bulk_service, "lock_stages", delete_first)
    response = client_for(editor).post(
        url(production), {"action": "done", "items": pks(*items)}, **HTMX
    )
    assertContains(response, "was just deleted", status_code=422)
    assert not ChecklistItem.all_objects.filter(done=True).exists()
    assert wrong_counters() == []


def test_undo_skips_items_whose_stage_went_to_the_trash(editor, production, stages, items):
    client = client_for(editor)
    client.post(url(production), {"action": "done", "items": pks(*items)})
    services.delete_stage(stages[0], by=editor)
    response = client.post(f"/bulk/{BulkAction.objects.get().pk}/undo/", follow=True)
    assertContains(response, "2 items stayed put")
    assert wrong_counters() == []


def test_after_undo_focus_lands_on_the_bulk_form(editor, production, items):
    page = client_for(editor).get(f"{production.get_absolute_url()}?undone=1")
    assertContains(page, '<summary class="fw-semibold" autofocus>')
