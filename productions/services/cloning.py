"""Cloning a production: a new one with the same stages, items and crew, done-state cleared."""

import datetime
from collections import Counter

from django.db import transaction

from ..fields import CLONED, CREW, DATE
from ..models import EARLIEST_DATE, LATEST_DATE, Assignment, ChecklistItem, Stage, in_calendar_range
from .activity import Kind, log
from .productions import start_production

# Rows per INSERT when copying items (PostgreSQL and SQLite both take this many).
BATCH = 1000


class DatesOutOfRange(ValueError):
    """Shifting the dates would take one of them out of the range the app
    stores (models.dates: 1900 to 2200). The message says which date."""


def shifted(value, days, what="a date"):
    """`value` moved by `days` days (None stays None); DatesOutOfRange when
    the result would leave the range the app stores."""
    if value is None or not days:
        return value
    try:
        moved = value + datetime.timedelta(days=days)
    except OverflowError:
        moved = None
    if moved is None or not in_calendar_range(moved):
        raise DatesOutOfRange(
            f"Shifted by {days} days, {what} ({value:%d %b %Y}) would fall outside "
            f"the calendar this app keeps ({EARLIEST_DATE:%Y}–{LATEST_DATE:%Y})."
        )
    return moved


def _column(f):
    """The column a clone copies for the field (a crew member by id)."""
    return f"{f.name}_id" if f.kind == CREW else f.name


@transaction.atomic
def clone_production(source, *, by, title, offset_days=0):
    """A new production like `source`: its details, live stages, live items and
    crew, every date moved by `offset_days`; stages back to "not started" (and
    following the checklist), items not done. The one who clones it is its
    manager (as for any new production); members, comments and the trash are
    not copied.

    A fixed number of queries whatever the size of the source (bar one INSERT
    per BATCH items). Raises DatesOutOfRange before writing anything when a
    date cannot move that far."""
    stages = list(Stage.objects.filter(production=source).order_by("position", "pk"))
    stage_ids = {stage.pk for stage in stages}
    # Live items of those stages. A stage added since the line above is not
    # copied, and neither are its items.
    items = [
        item
        for item in ChecklistItem.objects.filter(
            stage__production=source, stage__deleted_at__isnull=True
        )
        .order_by("stage", "position", "pk")
        .values("stage_id", "position", *(_column(f) for f in CLONED))
        if item["stage_id"] in stage_ids
    ]
    crew = list(
        Assignment.objects.filter(production=source)
        .order_by("pk")
        .values_list("crew_member_id", "role_id")
    )

    # Every date first: nothing is written when one cannot move.
    days = offset_days
    dates = {
        "start_date": shifted(source.start_date, days, "the start date"),
        "end_date": shifted(source.end_date, days, "the end date"),
    }
    stage_dates = [
        (
            shifted(stage.start_date, days, f"the start of “{stage.name}”"),
            shifted(stage.due_date, days, f"the due date of “{stage.name}”"),
        )
        for stage in stages
    ]
    for item in items:
        for f in CLONED:
            if f.kind == DATE:
                what = f"the {f.label.lower()} date of “{item['title']}”"
                item[f.name] = shifted(item[f.name], days, what)

    production = start_production(
        by=by,
        title=title,
        kind=source.kind,
        artist=source.artist,
        venue=source.venue,
        description=source.description,
        # The copy is planned where the source is (no query for the cloner's zone).
        time_zone=source.time_zone,
        **dates,
    )
    per_stage = Counter(item["stage_id"] for item in items)
    copies = Stage.objects.bulk_create(
        Stage(
            production=production,
            name=stage.name,
            phase=stage.phase,
            position=stage.position,
            notes=stage.notes,
            start_date=start,
            due_date=due,
            item_count=per_stage[stage.pk],
        )
        for stage, (start, due) in zip(stages, stage_dates, strict=True)
    )
    copy_of = {stage.pk: copy for stage, copy in zip(stages, copies, strict=True)}
    ChecklistItem.objects.bulk_create(
        (ChecklistItem(stage=copy_of[item.pop("stage_id")], **item) for item in items),
        batch_size=BATCH,
    )
    Assignment.objects.bulk_create(
        Assignment(production=production, crew_member_id=member, role_id=role)
        for member, role in crew
    )
    log(
        production,
        Kind.PRODUCTION_CLONED,
        by=by,
        subject=source.title,
        changes={
            "offset_days": offset_days,
            "stages": len(copies),
            "items": len(items),
            "crew": len(crew),
        },
        items=len(items),
    )
    production.item_count = len(items)
    return production
