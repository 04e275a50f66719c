"""Stage gates (issue 6, capability 8): required items hold their stage back."""

import pytest
from django.utils import timezone

from productions import services
from productions.exceptions import NeedsConfirmation, StageGated
from productions.models import Activity, ChecklistItem, Stage
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, ProductionFactory, StageFactory


@pytest.fixture
def scouting(production):
    return StageFactory(production=production, name="Location scouting", position=1)


def required(stage, title, **kwargs):
    return ChecklistItemFactory(stage=stage, title=title, required=True, **kwargs)


def status_url(stage):
    return f"/stages/{stage.pk}/status/"


# The service


def test_done_is_refused_while_a_required_item_is_open(scouting, manager):
    required(scouting, "Permit from the city")
    ChecklistItemFactory(stage=scouting, title="Photos")

    with pytest.raises(StageGated) as exc:
        services.set_stage_status(scouting, Stage.Status.DONE, by=manager, confirmed=True)

    assert "“Permit from the city”" in exc.value.message
    assert "Photos" not in exc.value.message
    scouting.refresh_from_db()
    assert scouting.status == Stage.Status.NOT_STARTED
    assert not Activity.objects.filter(kind=Activity.Kind.STAGE_STATUS).exists()


def test_the_message_names_five_and_counts_the_rest(scouting, manager, django_assert_num_queries):
    for n in range(8):
        required(scouting, f"Permit {n}", position=n)

    # 1. lock the stage (with its production)
    # 2. the first five open required titles, each carrying the total
    with pytest.raises(StageGated) as exc, django_assert_num_queries(2):
        services.set_stage_status(scouting, Stage.Status.DONE, by=manager, confirmed=True)

    message = exc.value.message
    assert exc.value.titles == [f"Permit {n}" for n in range(5)]
    assert exc.value.more == 3
    assert "8 required items are still open" in message
    assert message.endswith("“Permit 4” and 3 more.")
    assert "Permit 5" not in message


def test_ticked_and_deleted_required_items_do_not_hold_the_stage(scouting, manager):
    required(scouting, "Done already", done=True, done_at=timezone.now())
    required(scouting, "Binned", deleted_at=timezone.now())
    ChecklistItemFactory(stage=scouting, title="Optional")

    # Only a plain open item: the usual confirmation, not a gate.
    with pytest.raises(NeedsConfirmation):
        services.set_stage_status(scouting, Stage.Status.DONE, by=manager)
    stage = services.set_stage_status(scouting, Stage.Status.DONE, by=manager, confirmed=True)

    assert stage.status == Stage.Status.DONE


def test_other_statuses_are_not_gated(scouting, manager):
    required(scouting, "Permit")

    stage = services.set_stage_status(scouting, Stage.Status.BLOCKED, by=manager)

    assert stage.status == Stage.Status.BLOCKED


# The status control


def test_the_view_answers_422_naming_the_items_next_to_the_control(scouting, editor):
    required(scouting, "Permit from the city")

    response = client_for(editor).post(
        status_url(scouting), {"status": "done", "confirmed": "on"}, **HTMX
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith(f'<div id="stage-{scouting.pk}-progress"')
    assert f'id="stage-{scouting.pk}-gated"' in html
    assert "“Permit from the city”" in html
    assert "Mark done anyway" not in html
    scouting.refresh_from_db()
    assert scouting.status != Stage.Status.DONE


def test_without_htmx_the_refusal_is_a_page(scouting, editor):
    required(scouting, "Permit")

    response = client_for(editor).post(status_url(scouting), {"status": "done"})

    assert response.status_code == 422
    assert b"<html" in response.content
    assert "“Permit”" in response.content.decode()


def test_setting_a_status_sends_the_held_up_line_out_of_band(scouting, editor):
    required(scouting, "Permit")

    response = client_for(editor).post(status_url(scouting), {"status": "blocked"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<p id="held-up" class="small mt-n3 mb-4" hx-swap-oob="true">' in html
    assert "Held up by:" in html


# The item form and rows


def test_the_item_form_offers_the_required_checkbox(scouting, editor):
    item = ChecklistItemFactory(stage=scouting)

    html = client_for(editor).get(f"/items/{item.pk}/edit/").content.decode()

    assert 'type="checkbox" name="required"' in html
    assert "The stage cannot be marked done while this is open." in html


def test_marking_an_item_required_saves_logs_and_updates_the_held_up_line(scouting, editor):
    item = ChecklistItemFactory(stage=scouting, title="Permit")

    response = client_for(editor).post(
        f"/items/{item.pk}/edit/",
        {"title": "Permit", "required": "on", "version": item.version, "notes": ""},
        **HTMX,
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert item.required
    html = response.content.decode()
    assert "Required</span>" in html
    assert 'id="held-up"' in html
    assert "Location scouting" in html
    entry = Activity.objects.get(kind=Activity.Kind.ITEM_EDITED)
    assert entry.changes["required"] == [False, True]


def test_ticking_the_last_required_item_clears_the_held_up_line(scouting, editor):
    item = required(scouting, "Permit")

    response = client_for(editor).post(f"/items/{item.pk}/toggle/", {"done": "1"}, **HTMX)

    html = response.content.decode()
    assert '<p id="held-up" class="small mt-n3 mb-4" hx-swap-oob="true"></p>' in html


def test_ticking_a_plain_item_does_not_send_the_held_up_line(scouting, editor):
    item = ChecklistItemFactory(stage=scouting)

    response = client_for(editor).post(f"/items/{item.pk}/toggle/", {"done": "1"}, **HTMX)

    assert b'id="held-up"' not in response.content


# The production page


def test_the_page_shows_the_first_stage_holding_the_production_up(production, viewer):
    first = StageFactory(production=production, name="Casting", position=1)
    second = StageFactory(production=production, name="Location scouting", position=2)
    third = StageFactory(production=production, name="Wardrobe", position=3)
    required(first, "Done", done=True, done_at=timezone.now())
    required(second, "Permit")
    required(second, "Insurance")
    required(third, "Jackets")

    html = client_for(viewer).get(production.get_absolute_url()).content.decode()

    assert "Held up by:" in html
    assert f'<a href="#stage-{second.pk}">Location scouting</a> — 2 required items open' in html
    assert "Required</span>" in html


def test_a_done_stage_does_not_hold_the_production_up(production, manager):
    stage = StageFactory(production=production, name="Casting", position=1)
    required(stage, "Permit")
    Stage.objects.filter(pk=stage.pk).update(status=Stage.Status.DONE)

    html = client_for(manager).get(production.get_absolute_url()).content.decode()

    assert "Held up by:" not in html


def test_deleted_stages_do_not_hold_the_production_up(production, manager):
    stage = StageFactory(production=production, position=1, deleted_at=timezone.now())
    required(stage, "Permit")

    assert production.stages.holding_up().first() is None


def test_the_held_up_line_is_one_query_however_many_stages(production, django_assert_num_queries):
    for n in range(6):
        stage = StageFactory(production=production, name=f"Stage {n}", position=n)
        for m in range(3):
            required(stage, f"Item {n}.{m}")
    other = StageFactory(production=ProductionFactory(), position=0)
    required(other, "Someone else's")

    # 1. the stages not done, joined to their open required live items,
    #    grouped and counted, the first in order
    with django_assert_num_queries(1):
        held_up = production.stages.holding_up().first()
        assert held_up.open_required == 3

    assert held_up.name == "Stage 0"


def test_the_flag_survives_the_item_model(scouting):
    item = required(scouting, "Permit")
    assert ChecklistItem.objects.get(pk=item.pk).required
