"""Shaping the stages (issue 6, capability 3), the services: add, edit,
move. The pages that call them: test_stage_shaping.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from productions.exceptions import Conflict
from productions.models import Activity, Stage
from productions.services.stages import add_stage, move_stage, update_stage
from tests.factories import StageFactory
from tests.stage_shaping import make_stages, order

JUNE_1, JUNE_9 = datetime.date(2026, 6, 1), datetime.date(2026, 6, 9)


@pytest.fixture
def stages(production):
    return make_stages(production)


def test_add_stage_puts_it_last_and_logs(stages, production, manager):
    StageFactory(production=production, position=7, deleted_at=timezone.now())

    stage = add_stage(production, by=manager, name="Catering", phase="production", due_date=JUNE_9)

    assert stage.position == 8  # after the trashed one too: restoring it cannot collide
    assert order(production)[-1] == "Catering"
    entry = Activity.objects.get(kind=Activity.Kind.STAGE_ADDED)
    assert (entry.subject, entry.stage, entry.actor) == ("Catering", stage, manager)


def test_add_stage_refuses_an_empty_name_and_dates_out_of_order(production, manager):
    with pytest.raises(ValidationError):
        add_stage(production, by=manager, name="  ")
    with pytest.raises(ValidationError):
        add_stage(production, by=manager, name="X", start_date=JUNE_9, due_date=JUNE_1)
    assert not production.stages.exists()


def test_update_stage_saves_bumps_the_version_and_logs_the_changes(stages, manager):
    stage = stages[0]

    saved = update_stage(
        stage, by=manager, version=stage.version, name="Auditions", start_date=JUNE_1
    )

    assert (saved.name, saved.start_date, saved.version) == ("Auditions", JUNE_1, 2)
    entry = Activity.objects.get(kind=Activity.Kind.STAGE_EDITED)
    assert entry.subject == "Casting"
    assert entry.changes == {"name": ["Casting", "Auditions"], "start_date": ["", "2026-06-01"]}


def test_update_stage_refuses_an_old_version(stages, manager, editor):
    stage = stages[0]
    update_stage(stage, by=editor, version=1, name="Theirs")

    with pytest.raises(Conflict) as exc:
        update_stage(stage, by=manager, version=1, name="Mine")

    assert exc.value.current.name == "Theirs"


def test_update_stage_without_changes_logs_nothing(stages, manager):
    update_stage(stages[0], by=manager, version=1, name="Casting")
    assert not Activity.objects.filter(kind=Activity.Kind.STAGE_EDITED).exists()


def test_update_stage_checks_the_dates_against_the_saved_ones(stages, manager):
    update_stage(stages[0], by=manager, start_date=JUNE_9)
    with pytest.raises(ValidationError):
        update_stage(stages[0], by=manager, due_date=JUNE_1)


def test_update_stage_changes_only_its_own_fields(stages, manager):
    with pytest.raises(TypeError):
        update_stage(stages[0], by=manager, production_id=1)


def test_move_stage_swaps_with_its_neighbour(stages, production, manager):
    move_stage(stages[2], by=manager, direction="up")
    assert order(production) == ["Casting", "Wardrobe", "Scouting"]

    move_stage(stages[0], by=manager, direction="down")
    assert order(production) == ["Wardrobe", "Casting", "Scouting"]
    entry = Activity.objects.filter(kind=Activity.Kind.STAGES_REORDERED).first()
    assert entry.changes["order"] == [
        "Casting, Wardrobe, Scouting",
        "Wardrobe, Casting, Scouting",
    ]


def test_move_stage_at_the_edge_changes_nothing(stages, production, manager):
    move_stage(stages[0], by=manager, direction="up")
    move_stage(stages[2], by=manager, direction="down")

    assert order(production) == ["Casting", "Scouting", "Wardrobe"]
    assert not Activity.objects.filter(kind=Activity.Kind.STAGES_REORDERED).exists()


def test_move_stage_mends_duplicate_positions(production, manager):
    a = StageFactory(production=production, name="A", position=0)
    b = StageFactory(production=production, name="B", position=0)
    c = StageFactory(production=production, name="C", position=0)

    move_stage(c, by=manager, direction="up")

    assert order(production) == ["A", "C", "B"]
    assert sorted(
        Stage.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("position", flat=True)
    ) == [1, 2, 3]


def test_move_stage_skips_trashed_stages(stages, production, manager):
    Stage.objects.filter(pk=stages[1].pk).update(deleted_at=timezone.now())

    move_stage(stages[2], by=manager, direction="up")

    assert order(production) == ["Wardrobe", "Casting"]


def test_move_stage_refuses_an_unknown_direction(stages, manager):
    with pytest.raises(ValueError, match="direction"):
        move_stage(stages[0], by=manager, direction="sideways")
