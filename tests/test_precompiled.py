"""Precompiled page queries give what the ORM gives, for any values."""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from productions.models import ChecklistItem, Stage
from productions.precompiled import Precompiled
from productions.views.productions import CHECKLIST_STAGES, CHECKLIST_WINDOWS, PRODUCTION_CREW
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _fields(obj, names):
    return tuple(getattr(obj, name) for name in names)


@pytest.fixture
def two_productions():
    """Two productions with stages, items (some required, some done) and crew."""
    productions = []
    for title in ("Neon Nights", "Harbour Lights"):
        production = ProductionFactory(title=title)
        for position in range(3):
            stage = StageFactory(production=production, position=position)
            for number in range(4):
                ChecklistItemFactory(
                    stage=stage,
                    position=number,
                    required=number % 2 == 0,
                    done=number == 3,
                    done_by=UserFactory() if number == 3 else None,
                    done_at=timezone.now() if number == 3 else None,
                )
        AssignmentFactory(production=production)
        AssignmentFactory(production=production)
        productions.append(production)
    return productions


def test_stages_are_the_orm_s_stages_for_each_production(two_productions):
    for production in two_productions:
        precompiled = CHECKLIST_STAGES(production_id=production.pk)
        plain = list(
            Stage.objects.filter(production=production).for_checklist().with_open_required()
        )
        names = ("pk", "name", "position", "status", "item_count", "open_required")
        assert [_fields(s, names) for s in precompiled] == [_fields(s, names) for s in plain]
        assert {s.production_id for s in precompiled} == {production.pk}


def test_windows_take_any_stages_of_the_same_number(two_productions):
    for production in two_productions:
        ids = list(production.stages.values_list("pk", flat=True))
        rows = CHECKLIST_WINDOWS(stage_ids=ids)
        plain = ChecklistItem.objects.for_checklist().first_windows(ids, 11)
        assert [row.pk for row in rows] == [row.pk for row in plain]
        assert {row.stage_id for row in rows} == set(ids)
        # select_related objects come loaded, as from the ORM.
        done = [row for row in rows if row.done]
        assert done
        assert all(row.done_by.username for row in done)


def test_crew_is_read_with_members_and_roles_in_one_query(two_productions):
    production = two_productions[1]
    with CaptureQueriesContext(connection) as queries:
        crew = PRODUCTION_CREW(production_id=production.pk, fetch_mode=models.FETCH_RAISE)
        names = [(a.crew_member.name, a.role.name) for a in crew]
    assert len(queries) == 1
    assert names == sorted(names)
    assert {a.production_id for a in crew} == {production.pk}


def test_the_fetch_mode_is_the_caller_s(two_productions):
    production = two_productions[0]
    (stage, *_) = CHECKLIST_STAGES(production_id=production.pk, fetch_mode=models.FETCH_RAISE)
    with pytest.raises(Exception, match="production"):
        stage.production  # noqa: B018 (not loaded, and strict)


def test_a_value_written_into_the_sql_is_refused(db):
    # extra() writes the value into the SQL text, where it cannot be replaced.
    written_in = Precompiled(
        lambda pk: Stage.objects.extra(where=[f"{Stage._meta.db_table}.id = {int(pk)}"])
    )
    with pytest.raises(ValueError, match="must all be SQL parameters"):
        written_in(pk=1)


def test_other_kinds_of_values_are_refused(db):
    with pytest.raises(TypeError):
        Precompiled(lambda pk: Stage.objects.filter(pk=pk))(pk=1.5)
