"""Nothing lost: conflicts refused with both versions shown, hand-set stage
statuses respected, deletes undoable, the trash, the activity log, comments."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from productions import services
from productions.exceptions import Conflict, Gone, NeedsConfirmation
from productions.models import Activity, ChecklistItem, Comment, Production, Stage
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, CommentFactory, StageFactory


@pytest.fixture
def stage(production):
    return StageFactory(production=production, name="Wardrobe")


@pytest.fixture
def item(stage):
    return ChecklistItemFactory(stage=stage, title="Fit the jackets")


# No lost updates


def test_a_save_over_someone_elses_edit_is_refused_with_their_version(item, editor, manager):
    client = client_for(editor)
    form = client.get(f"/items/{item.pk}/edit/").context["form"]
    opened_version = form.initial["version"]
    services.update_item(item, by=manager, title="Fit the red jackets")

    response = client.post(
        f"/items/{item.pk}/edit/",
        {"title": "Fit the blue jackets", "version": opened_version},
        **HTMX,
    )

    assert response.status_code == 409
    assertContains(response, "Changed by mina at", status_code=409)
    assertContains(response, "Fit the red jackets", status_code=409)  # theirs, shown
    assertContains(response, 'value="Fit the blue jackets"', status_code=409)  # mine, kept
    item.refresh_from_db()
    assert item.title == "Fit the red jackets"


def test_saving_again_after_a_conflict_replaces_their_version(item, editor, manager):
    client = client_for(editor)
    services.update_item(item, by=manager, title="Fit the red jackets")
    response = client.post(f"/items/{item.pk}/edit/", {"title": "Blue", "version": 1}, **HTMX)
    rebased_version = response.context["form"]["version"].value()

    response = client.post(
        f"/items/{item.pk}/edit/", {"title": "Blue", "version": rebased_version}, **HTMX
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Blue"


def test_the_service_refuses_a_stale_version(item, editor):
    services.update_item(item, by=editor, title="One", version=1)

    with pytest.raises(Conflict) as info:
        services.update_item(item, by=editor, title="Two", version=1)

    assert info.value.current.title == "One"


def test_a_production_edit_over_another_is_refused(production, manager):
    services.update_production(production, by=manager, venue="Dock 9", version=1)

    response = client_for(manager).post(
        f"/productions/{production.slug}/edit/",
        {
            "title": "Neon Nights",
            "kind": "music_video",
            "status": "planning",
            "venue": "Pier 4",
            "version": 1,
        },
    )

    assert response.status_code == 409
    assertContains(response, "Dock 9", status_code=409)
    production.refresh_from_db()
    assert production.venue == "Dock 9"


def test_editing_an_item_deleted_meanwhile_answers_404(item, editor):
    client = client_for(editor)
    services.delete_item(item, by=editor)

    response = client.post(f"/items/{item.pk}/edit/", {"title": "x", "version": 1})

    assert response.status_code == 404


def test_the_service_says_gone_for_an_item_deleted_under_it(item, editor):
    stale = ChecklistItem.objects.get(pk=item.pk)
    services.delete_item(item, by=editor)

    with pytest.raises(Gone):
        services.set_item_done(stale, True, by=editor)


def test_a_replayed_tick_changes_nothing(item, editor):
    client = client_for(editor)
    client.post(f"/items/{item.pk}/toggle/", {"done": "1"})
    first = ChecklistItem.objects.get(pk=item.pk).done_at

    client.post(f"/items/{item.pk}/toggle/", {"done": "1"})

    assert ChecklistItem.objects.get(pk=item.pk).done_at == first
    assert Activity.objects.filter(kind=Activity.Kind.ITEM_TICKED).count() == 1


# Hand-set stage status


def test_done_with_open_items_asks_for_confirmation(stage, item, editor):
    response = client_for(editor).post(f"/stages/{stage.pk}/status/", {"status": "done"}, **HTMX)

    assertContains(response, "1 item is still open")
    assertContains(response, "Mark done anyway")
    stage.refresh_from_db()
    assert stage.status == Stage.Status.NOT_STARTED


def test_confirmed_done_is_kept_and_records_who_overrode(stage, item, editor):
    client_for(editor).post(
        f"/stages/{stage.pk}/status/", {"status": "done", "confirmed": "on"}, **HTMX
    )

    stage.refresh_from_db()
    assert (stage.status, stage.status_manual, stage.status_set_by) == ("done", True, editor)
    entry = Activity.objects.get(kind=Activity.Kind.STAGE_STATUS)
    assert entry.changes["overridden"] == "1 open"
    assert entry.actor == editor


def test_the_next_tick_does_not_flip_a_hand_set_status_back(stage, item, editor):
    other = ChecklistItemFactory(stage=stage)
    services.set_stage_status(stage, "done", by=editor, confirmed=True)

    services.set_item_done(other, True, by=editor)
    services.set_item_done(other, False, by=editor)

    stage.refresh_from_db()
    assert stage.status == Stage.Status.DONE


def test_following_the_checklist_again_recomputes_the_status(stage, item, editor):
    services.set_stage_status(stage, "blocked", by=editor)
    services.set_item_done(item, True, by=editor)

    services.set_stage_status(stage, services.FOLLOW_CHECKLIST, by=editor)

    stage.refresh_from_db()
    assert (stage.status, stage.status_manual) == ("done", False)


def test_the_service_needs_confirmation_for_done_with_open_items(stage, item, editor):
    with pytest.raises(NeedsConfirmation):
        services.set_stage_status(stage, "done", by=editor)


# Undoable deletes and the trash


def test_undo_restores_a_deleted_item_with_its_comments(item, editor):
    CommentFactory(item=item, body="Sizes are in the sheet")
    client = client_for(editor)
    client.post(f"/items/{item.pk}/delete/", **HTMX)

    response = client.post(f"/items/{item.pk}/restore/", **HTMX)

    assert response.status_code == 200
    assertContains(response, "Fit the jackets")
    assert ChecklistItem.objects.filter(pk=item.pk).exists()
    assert Comment.objects.filter(item=item).count() == 1


def test_a_deleted_stage_hides_its_items_until_restored(production, stage, item, manager):
    client = client_for(manager)
    client.post(f"/stages/{stage.pk}/delete/")

    assertNotContains(client.get(f"/productions/{production.slug}/"), "Fit the jackets")
    assert client.post(f"/items/{item.pk}/toggle/", {"done": "1"}).status_code == 404
    assertContains(client.get(f"/productions/{production.slug}/trash/"), "Wardrobe")

    client.post(f"/stages/{stage.pk}/restore/")
    assertContains(client.get(f"/productions/{production.slug}/"), "Fit the jackets")


def test_a_deleted_production_is_listed_for_its_managers_and_restored(production, manager):
    client = client_for(manager)
    client.post(f"/productions/{production.slug}/delete/")
    assert client.get(f"/productions/{production.slug}/").status_code == 404

    assertContains(client.get("/productions/deleted/"), "Neon Nights")
    response = client.post(f"/productions/deleted/{production.pk}/restore/")

    assertRedirects(response, f"/productions/{production.slug}/")


def test_an_editor_may_not_restore_a_deleted_production(production, manager, editor):
    services.delete_production(production, by=manager)

    response = client_for(editor).post(f"/productions/deleted/{production.pk}/restore/")

    assert response.status_code == 403
    assertNotContains(client_for(editor).get("/productions/deleted/"), "Neon Nights")


def test_emptying_the_trash_deletes_for_good_and_is_logged(production, item, manager):
    services.delete_item(item, by=manager)
    client = client_for(manager)
    assertContains(client.get(f"/productions/{production.slug}/trash/empty/"), "cannot be undone")

    client.post(f"/productions/{production.slug}/trash/empty/")

    assert not ChecklistItem.all_objects.filter(pk=item.pk).exists()
    assert Activity.objects.filter(kind=Activity.Kind.TRASH_EMPTIED).exists()
    # The log still names the deleted item.
    assert Activity.objects.filter(kind=Activity.Kind.ITEM_DELETED, subject="Fit the jackets")


def test_an_editor_may_not_empty_the_trash(production, item, editor):
    services.delete_item(item, by=editor)

    response = client_for(editor).post(f"/productions/{production.slug}/trash/empty/")

    assert response.status_code == 403
    assert ChecklistItem.all_objects.filter(pk=item.pk).exists()


def test_the_purge_command_removes_only_what_is_past_30_days(production, stage, manager):
    old, recent = ChecklistItemFactory(stage=stage), ChecklistItemFactory(stage=stage)
    services.delete_item(old, by=manager)
    services.delete_item(recent, by=manager)
    ChecklistItem.all_objects.filter(pk=old.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=31)
    )

    call_command("purge_trash")

    assert not ChecklistItem.all_objects.filter(pk=old.pk).exists()
    assert ChecklistItem.all_objects.filter(pk=recent.pk).exists()
    # The production's log says what went, and who: the purge, not a person.
    entry = Activity.objects.filter(production=production).order_by("-pk").first()
    assert (entry.kind, entry.actor, entry.actor_name) == (
        "trash_emptied",
        None,
        "The 30-day trash purge",
    )
    assert entry.changes == {"purged_stages": 0, "purged_items": 1}


def test_the_purge_command_removes_old_deleted_productions(production, manager):
    services.delete_production(production, by=manager)
    Production.all_objects.filter(pk=production.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=31)
    )

    call_command("purge_trash")

    assert not Production.all_objects.filter(pk=production.pk).exists()


# Activity and comments


def test_every_checklist_change_writes_an_activity_entry(production, stage, editor):
    item = services.add_item(stage, by=editor, title="Steam the shirts")
    services.set_item_done(item, True, by=editor)
    services.set_item_done(item, False, by=editor)
    services.update_item(item, by=editor, title="Steam all shirts")
    services.add_comment(item, by=editor, body="Steamer is in van 2")
    services.delete_item(item, by=editor)
    services.restore_item(item, by=editor)

    kinds = list(
        Activity.objects.filter(production=production).order_by("pk").values_list("kind", "actor")
    )
    assert kinds == [
        (kind, editor.pk)
        for kind in [
            "item_added",
            "item_ticked",
            "item_unticked",
            "item_edited",
            "commented",
            "item_deleted",
            "item_restored",
        ]
    ]
    edit = Activity.objects.get(kind="item_edited")
    assert edit.changes == {"title": ["Steam the shirts", "Steam all shirts"]}


def test_the_feed_is_shown_on_the_production_page_and_filterable(production, item, editor, viewer):
    services.set_item_done(item, True, by=editor)
    services.add_comment(item, by=editor, body="Done early")
    client = client_for(viewer)

    # The page loads the feed right after itself (without JavaScript, links to it).
    page = client.get(f"/productions/{production.slug}/")
    activity_url = f"/productions/{production.slug}/activity/"
    assertContains(page, f'hx-get="{activity_url}" hx-trigger="load"')
    assertContains(page, f'<a href="{activity_url}">')
    feed = client.get(activity_url, **HTMX)
    assert feed.content.decode().lstrip().startswith('<section id="activity"')
    assertContains(feed, "ticked")
    assertContains(feed, "Done early")

    filtered = client.get(f"/productions/{production.slug}/activity/?kind=commented", **HTMX)
    assert [e.kind for e in filtered.context["feed_page"]] == ["commented"]
    assertContains(filtered, "Done early")
    by_person = client.get(f"/productions/{production.slug}/activity/?person={editor.pk}")
    assert len(by_person.context["feed_page"]) == 2


def test_the_feed_is_paginated(production, item, editor):
    for n in range(25):
        services.update_item(item, by=editor, notes=f"note {n}")

    page = client_for(editor).get(f"/productions/{production.slug}/activity/")

    assert len(page.context["feed_page"].object_list) == 20
    assertContains(page, "Older")


def test_an_editor_comments_and_a_viewer_reads_them(item, editor, viewer):
    client_for(editor).post(f"/items/{item.pk}/comments/", {"body": "Sizes in the sheet"})

    response = client_for(viewer).get(f"/items/{item.pk}/comments/")

    assertContains(response, "Sizes in the sheet")
    assertContains(response, "eddie")
    assertNotContains(response, f'action="/items/{item.pk}/comments/"')


def test_an_empty_comment_is_refused_next_to_the_field(item, editor):
    response = client_for(editor).post(f"/items/{item.pk}/comments/", {"body": ""}, **HTMX)

    assert response.status_code == 422
    assert not Comment.objects.exists()


def test_right_after_a_stage_delete_the_page_offers_undo(stage, manager):
    response = client_for(manager).post(f"/stages/{stage.pk}/delete/", follow=True)

    assertRedirects(response, f"/stages/{stage.pk}/deleted/")
    assertContains(response, f'action="/stages/{stage.pk}/restore/"')


def test_right_after_a_production_delete_the_page_offers_undo(production, manager):
    response = client_for(manager).post(f"/productions/{production.slug}/delete/", follow=True)

    assertRedirects(response, f"/productions/deleted/{production.pk}/")
    assertContains(response, f'action="/productions/deleted/{production.pk}/restore/"')
