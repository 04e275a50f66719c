"""Shaping the stages in the app (issue 6, capability 3), the pages: add,
edit, move. The services behind them: test_stage_shaping_services.py."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from productions.models import Stage
from productions.services.stages import update_stage
from tests.conftest import HTMX, client_for
from tests.factories import ProductionFactory, StageFactory
from tests.stage_shaping import make_stages, order

JUNE_1, JUNE_9 = datetime.date(2026, 6, 1), datetime.date(2026, 6, 9)


@pytest.fixture
def stages(production):
    return make_stages(production)


def add_url(production):
    return f"/productions/{production.slug}/stages/new/"


def edit_url(stage):
    return f"/stages/{stage.pk}/edit/"


def move_url(stage):
    return f"/stages/{stage.pk}/move/"


# Views: add


def test_a_manager_adds_a_stage_without_javascript(production, manager):
    response = client_for(manager).post(
        add_url(production),
        {"name": "Catering", "phase": "production", "start_date": "2026-06-01", "due_date": ""},
    )

    stage = Stage.objects.get(name="Catering")
    assert response.status_code == 302
    assert response["Location"] == f"/productions/{production.slug}/#stage-{stage.pk}"
    assert stage.start_date == JUNE_1


def test_with_htmx_a_saved_stage_reloads_the_page(production, manager):
    response = client_for(manager).post(
        add_url(production), {"name": "Catering", "phase": "production"}, **HTMX
    )

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(f"/productions/{production.slug}/#stage-")


def test_a_stage_added_on_the_production_page_reloads_it_not_just_scrolls(production, manager):
    """From the production page the redirect differs only by its #fragment,
    which a browser takes as a scroll, not a load: the new stage would not
    show (and a second Add would add it twice). HX-Refresh reloads it."""
    page = f"http://testserver/productions/{production.slug}/"
    data = {"name": "Catering", "phase": "production"}
    client = client_for(manager)

    on_the_page = client.post(
        add_url(production), data, headers={**HTMX["headers"], "HX-Current-URL": page}
    )
    filtered = client.post(
        add_url(production),
        data | {"name": "Transport"},
        headers={**HTMX["headers"], "HX-Current-URL": f"{page}?state=open#stage-1"},
    )
    on_its_own_page = client.post(
        add_url(production),
        data | {"name": "Security"},
        headers={**HTMX["headers"], "HX-Current-URL": f"http://testserver{add_url(production)}"},
    )

    assert on_the_page["HX-Redirect"].startswith(f"/productions/{production.slug}/#stage-")
    assert on_the_page["HX-Refresh"] == "true"
    # Another address (a filter, the form's own page): the redirect loads it anyway.
    assert "HX-Refresh" not in filtered
    assert "HX-Refresh" not in on_its_own_page


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "phase": "production"},
        {"name": "   ", "phase": "production"},
        {"name": "\u202e\u200b", "phase": "production"},
        {"name": "X" * 201, "phase": "production"},
        {"name": "Catering", "phase": "lunch"},
        {"name": "Catering", "phase": "production", "due_date": "2026-02-30"},
        {"name": "Catering", "phase": "production", "start_date": "not a date"},
        {
            "name": "Catering",
            "phase": "production",
            "start_date": "2026-06-09",
            "due_date": "2026-06-01",
        },
    ],
)
def test_hostile_input_to_add_is_422_with_the_form_fragment(production, manager, data):
    response = client_for(manager).post(add_url(production), data, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="stage-add"')
    assert "invalid-feedback" in html
    assert not production.stages.exists()


def test_the_refused_add_form_without_javascript_is_a_page(production, manager):
    response = client_for(manager).post(
        add_url(production),
        {
            "name": "Catering",
            "phase": "production",
            "start_date": "2026-06-09",
            "due_date": "2026-06-01",
        },
    )

    assert response.status_code == 422
    assert b"<html" in response.content
    assert b"The due date cannot be before the start date." in response.content


def test_the_new_stage_form_comes_as_a_fragment_with_focus_on_its_name(production, manager):
    response = client_for(manager).get(add_url(production), **HTMX)

    assertContains(response, 'for="new-stage-name"')
    assertContains(response, f'action="{add_url(production)}"')
    assertContains(response, "autofocus")
    assertNotContains(response, "<html")


def test_the_production_page_offers_managers_the_stage_controls(stages, production, manager):
    html = client_for(manager).get(production.get_absolute_url()).content.decode()

    # The new-stage form comes when asked for (without JavaScript, its own page).
    assert f'hx-get="{add_url(production)}"' in html
    assert f'href="{edit_url(stages[0])}"' in html
    # The first stage cannot move up, the last not down.
    assert 'value="up" class="btn btn-sm btn-outline-secondary py-0" disabled' in html
    assert 'value="down" class="btn btn-sm btn-outline-secondary py-0" disabled' in html
    assert 'aria-label="Move the stage Casting down"' in html
    assert 'aria-label="Move the stage Scouting up"' in html


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_others_see_no_stage_controls(stages, production, who, request):
    user = request.getfixturevalue(who)
    html = client_for(user).get(production.get_absolute_url()).content.decode()

    assert add_url(production) not in html
    assert edit_url(stages[0]) not in html
    assert move_url(stages[0]) not in html


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_managers_add_stages(production, who, status, request):
    user = request.getfixturevalue(who)

    response = client_for(user).post(add_url(production), {"name": "X", "phase": "production"})

    assert response.status_code == status
    assert not production.stages.exists()


# Views: edit


def test_a_manager_edits_a_stage(stages, manager):
    stage = stages[1]
    response = client_for(manager).post(
        edit_url(stage),
        {
            "name": "Location scouting",
            "phase": "pre_production",
            "due_date": "2026-06-09",
            "version": stage.version,
        },
    )

    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.name, stage.due_date) == ("Location scouting", JUNE_9)


def test_the_edit_form_is_filled_in_and_carries_the_version(stages, manager):
    html = client_for(manager).get(edit_url(stages[0])).content.decode()

    assert 'value="Casting"' in html
    assert 'name="version" value="1"' in html
    assert 'type="date"' in html


def test_an_edit_over_someone_elses_is_409_with_their_version(stages, manager, editor):
    stage = stages[0]
    update_stage(stage, by=editor, version=1, name="Theirs")

    response = client_for(manager).post(
        edit_url(stage), {"name": "Mine", "phase": "production", "version": 1}, **HTMX
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Changed by eddie" in html
    assert 'value="Mine"' in html
    assert 'name="version" value="2"' in html
    stage.refresh_from_db()
    assert stage.name == "Theirs"


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "phase": "production", "version": 1},
        {"name": "X", "phase": "production", "version": "-1"},
        {"name": "X", "phase": "production", "version": "one"},
        {"name": "X", "phase": "production", "start_date": "2026-13-01", "version": 1},
        {
            "name": "X",
            "phase": "production",
            "start_date": "2026-06-09",
            "due_date": "2026-06-01",
            "version": 1,
        },
    ],
)
def test_hostile_input_to_edit_is_422(stages, manager, data):
    response = client_for(manager).post(edit_url(stages[0]), data, **HTMX)

    assert response.status_code == 422
    assert response.content.decode().lstrip().startswith(f'<form id="stage-{stages[0].pk}-edit"')
    stages[0].refresh_from_db()
    assert stages[0].name == "Casting"


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_managers_edit_stages(stages, who, status, request):
    user = request.getfixturevalue(who)
    client = client_for(user)

    assert client.get(edit_url(stages[0])).status_code == status
    response = client.post(edit_url(stages[0]), {"name": "X", "phase": "production", "version": 1})
    assert response.status_code == status
    stages[0].refresh_from_db()
    assert stages[0].name == "Casting"


def test_another_productions_stage_is_404(manager):
    elsewhere = StageFactory(production=ProductionFactory(), name="Theirs")
    client = client_for(manager)

    assert client.get(edit_url(elsewhere)).status_code == 404
    assert client.post(move_url(elsewhere), {"direction": "up"}).status_code == 404
    assert client.post("/stages/999999/edit/", {"name": "X"}).status_code == 404


def test_a_trashed_stage_cannot_be_edited(stages, manager):
    Stage.objects.filter(pk=stages[0].pk).update(deleted_at=timezone.now())
    assert client_for(manager).get(edit_url(stages[0])).status_code == 404


# Views: move


def test_a_manager_moves_a_stage_without_javascript(stages, production, manager):
    response = client_for(manager).post(move_url(stages[1]), {"direction": "up"})

    assert response.status_code == 302
    assert response["Location"] == f"/productions/{production.slug}/#stage-{stages[1].pk}"
    assert order(production) == ["Scouting", "Casting", "Wardrobe"]


@pytest.mark.parametrize("data", [{}, {"direction": "left"}, {"direction": ""}])
def test_a_bad_direction_is_400(stages, production, manager, data):
    response = client_for(manager).post(move_url(stages[1]), data)

    assert response.status_code == 400
    assert order(production) == ["Casting", "Scouting", "Wardrobe"]


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_managers_move_stages(stages, production, who, status, request):
    user = request.getfixturevalue(who)

    response = client_for(user).post(move_url(stages[1]), {"direction": "up"})

    assert response.status_code == status
    assert order(production) == ["Casting", "Scouting", "Wardrobe"]


def test_move_is_post_only(stages, manager):
    assert client_for(manager).get(move_url(stages[0])).status_code == 405
