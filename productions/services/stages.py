"""Shaping a production's stages in the app: add, edit (name, phase, dates),
move up or down; and archiving a whole production. (Stage status, delete and
restore live in checklist.py.)"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Max, Value, When
from django.utils import timezone

from ..exceptions import Conflict, Gone
from ..models import Production, Stage
from ..textclean import visible
from .activity import Kind, changes_between, log
from .locks import lock_production, lock_stage

UP, DOWN = "up", "down"

# What update_stage may change.
STAGE_FIELDS = {"name", "phase", "start_date", "due_date"}


def _check(name, start_date, due_date):
    """The rules a form also says next to its fields; kept here for every caller."""
    if not visible(name):
        raise ValidationError({"name": "A stage needs a name."})
    if start_date and due_date and due_date < start_date:
        raise ValidationError({"due_date": "The due date cannot be before the start date."})


@transaction.atomic
def add_stage(
    production: Production,
    *,
    by: User,
    name: str,
    phase: str = Stage.Phase.PRE_PRODUCTION,
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
) -> Stage:
    """Add a stage at the end of the production's stages."""
    _check(name, start_date, due_date)
    # The production's row is the lock: two stages added at once get two positions.
    production = lock_production(production.pk)
    # Trashed stages count too, so a restored one does not share a position.
    last = Stage.all_objects.filter(production=production).aggregate(last=Max("position"))["last"]
    stage = Stage.objects.create(
        production=production,
        name=name,
        phase=phase,
        start_date=start_date,
        due_date=due_date,
        position=(last or 0) + 1,
        updated_by=by,
        updated_at=timezone.now(),
    )
    log(production, Kind.STAGE_ADDED, by=by, subject=name, stage=stage)
    return stage


@transaction.atomic
def update_stage(stage: Stage, *, by: User, version: int | None = None, **fields) -> Stage:
    """Save a stage's edited name, phase or dates; refuse (Conflict) if someone
    saved it since `version`."""
    unknown = set(fields) - STAGE_FIELDS
    if unknown:
        raise TypeError(f"update_stage cannot change {', '.join(sorted(unknown))}.")
    current = lock_stage(stage.pk)
    if version is not None and current.version != version:
        raise Conflict(current)
    _check(
        fields.get("name", current.name),
        fields.get("start_date", current.start_date),
        fields.get("due_date", current.due_date),
    )
    changes = changes_between(current, fields)
    if not changes:
        return current
    before = current.name
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    log(
        current.production,
        Kind.STAGE_EDITED,
        by=by,
        subject=before,
        stage=current,
        changes=changes,
    )
    return current


@transaction.atomic
def move_stage(stage: Stage, *, by: User, direction: str) -> Stage:
    """Swap a stage with its neighbour above (UP) or below (DOWN).

    The production's live stages are locked (in pk order) and renumbered
    1..n in one UPDATE, so duplicate or gapped positions are mended on the
    way. At the top (or bottom) nothing changes and nothing is logged.
    Returns the stage."""
    if direction not in (UP, DOWN):
        raise ValueError("direction must be 'up' or 'down'.")
    # Every stage of the production, locked in pk order like the other
    # services lock stages (locking this one first could deadlock with them);
    # only the stages (of=self): the join would lock the production row too,
    # before a stage a tick holds while it waits for that production.
    rows = list(
        Stage.objects.select_for_update(no_key=True, of=("self",))
        .filter(production_id=stage.production_id, production__deleted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "name", "position")
    )
    if stage.pk not in {pk for pk, _, _ in rows}:
        raise Gone("That stage was just deleted.")
    current = Stage.objects.select_related("production").get(pk=stage.pk)
    ordered = [pk for pk, _, _ in sorted(rows, key=lambda row: (row[2], row[0]))]
    index = ordered.index(current.pk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(ordered):
        return current
    order = list(ordered)
    order[index], order[other] = order[other], order[index]
    positions = {pk: position for pk, _, position in rows}
    wanted = {pk: n for n, pk in enumerate(order, start=1)}
    changed = [pk for pk in order if positions[pk] != wanted[pk]]
    Stage.objects.filter(pk__in=changed).update(
        position=Case(*(When(pk=pk, then=Value(wanted[pk])) for pk in changed))
    )
    names = {pk: name for pk, name, _ in rows}
    log(
        current.production,
        Kind.STAGES_REORDERED,
        by=by,
        subject=current.name,
        stage=current,
        changes={
            "order": [", ".join(names[pk] for pk in ordered), ", ".join(names[pk] for pk in order)],
            "moved": direction,
        },
    )
    current.position = wanted[current.pk]
    return current


@transaction.atomic
def set_archived(production: Production, archived: bool, *, by: User) -> Production:
    """Archive a production (or take it out of the archive). The caller says
    which state it wants, so a repeated request changes nothing."""
    current = lock_production(production.pk)
    if (current.archived_at is not None) == archived:
        return current
    current.archived_at = timezone.now() if archived else None
    current.save(update_fields=["archived_at"])
    kind = Kind.PRODUCTION_ARCHIVED if archived else Kind.PRODUCTION_UNARCHIVED
    log(current, kind, by=by, subject=current.title)
    return current
