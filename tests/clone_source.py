"""The production the clone tests copy, shared by tests/test_clone_service.py
and tests/test_clone_pages.py (each has a `source` fixture that builds it)."""

import datetime

from django.utils import timezone

from productions.models import Production, Stage
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    StageFactory,
)

D = datetime.date


def dated_half_done(production, manager):
    """Neon Nights, dated and half done: two live stages, a trashed stage and
    a trashed item (neither copied), crew on two roles."""
    Production.objects.filter(pk=production.pk).update(
        kind=Production.Kind.CONCERT,
        artist="The Neons",
        venue="Roundhouse",
        description="Two nights.",
        start_date=D(2026, 3, 10),
        end_date=D(2026, 3, 11),
        status=Production.Status.IN_PRODUCTION,
        archived_at=timezone.now(),
    )
    production.refresh_from_db()
    gaffer = CrewMemberFactory(name="Gus Gaffer")
    AssignmentFactory(
        production=production, crew_member=gaffer, role=CrewRoleFactory(name="Gaffer")
    )
    AssignmentFactory(
        production=production, crew_member=gaffer, role=CrewRoleFactory(name="Rigger")
    )
    rig = StageFactory(
        production=production,
        name="Rigging",
        phase=Stage.Phase.PRE_PRODUCTION,
        position=1,
        notes="Truss first.",
        start_date=D(2026, 3, 1),
        due_date=D(2026, 3, 9),
        status=Stage.Status.DONE,
        status_manual=True,
        status_set_by=manager,
        status_set_at=timezone.now(),
    )
    show = StageFactory(production=production, name="Show", phase="production", position=2)
    ChecklistItemFactory(
        stage=rig,
        title="Book the truss",
        notes="Two spans.",
        assignee=gaffer,
        required=True,
        due_date=D(2026, 3, 2),
        position=1,
        done=True,
        done_at=timezone.now(),
        done_by=manager,
    )
    ChecklistItemFactory(stage=rig, title="Check the hoists", position=2)
    ChecklistItemFactory(stage=rig, title="Old idea", position=3, deleted_at=timezone.now())
    ChecklistItemFactory(stage=show, title="Doors", due_date=D(2026, 3, 10), position=1)
    gone = StageFactory(production=production, name="Gone", position=3, deleted_at=timezone.now())
    ChecklistItemFactory(stage=gone, title="In the trashed stage")
    production.refresh_from_db()
    return production
