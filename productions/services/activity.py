"""The activity log: one entry per change, written by the service making it,
inside its transaction, so a change and its entry land (or fail) together."""

import datetime

from django.contrib.auth.models import User
from django.db import models
from django.db.models import F
from django.utils import timezone

from ..exceptions import Conflict
from ..models import Activity, BulkAction, ChecklistItem, Production, Stage

Kind = Activity.Kind


def display(value: object) -> object:
    """A value as the log keeps it: plain JSON that outlives the object."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, models.Choices):
        return value.label
    return value


def changes_between(obj: models.Model, fields: dict) -> dict[str, list]:
    """{"field": [before, after]} for each of `fields` that differs from `obj`."""
    changes = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [display(old), display(new)]
    return changes


def save_edit(
    current: models.Model, fields: dict, *, version: int | None, by: User | None = None
) -> dict[str, list]:
    """The step every versioned edit shares, on the row the caller locked:
    refuse (Conflict) if someone saved since `version`, else set `fields` and
    save what they change with the next version (and, with `by`, who and
    when). The changes, for the log; {} when nothing changed (nothing saved)."""
    if version is not None and current.version != version:
        raise Conflict(current)
    changes = changes_between(current, fields)
    if not changes:
        return changes
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    saved = [*fields, "version"]
    if by is not None:
        current.updated_by, current.updated_at = by, timezone.now()
        saved += ["updated_by", "updated_at"]
    current.save(update_fields=saved)
    return changes


def entry(
    production: Production,
    kind: str,
    *,
    by: User | None,
    subject: object = "",
    stage: Stage | None = None,
    item: ChecklistItem | None = None,
    changes: dict | None = None,
    bulk: BulkAction | None = None,
) -> Activity:
    """An activity entry, not yet saved (log() saves one; bulk writes many)."""
    return Activity(
        production=production,
        kind=kind,
        actor=by,
        actor_name=by.get_username() if by else "",
        subject=str(subject)[:300],
        stage=stage,
        item=item,
        changes=changes or {},
        bulk=bulk,
    )


def bump(production: Production, *, items: int = 0, done: int = 0) -> Production:
    """Move the production's live version (open pages poll it) and its
    counters in one UPDATE, which locks its row (last, as locks.py says) and
    reads them back onto `production` (RETURNING: its progress as of now)."""
    production.live_version = F("live_version") + 1
    production.item_count = F("item_count") + items
    production.done_count = F("done_count") + done
    production.save(update_fields=["live_version", "item_count", "done_count"])
    return production


def log(
    production: Production,
    kind: str,
    *,
    by: User | None,
    subject: object = "",
    stage: Stage | None = None,
    item: ChecklistItem | None = None,
    changes: dict | None = None,
    items: int = 0,
    done: int = 0,
) -> Activity:
    """Write the entry, bump the production's live version (open pages poll it)
    and move its item counters by `items` and `done`, in one UPDATE."""
    bump(production, items=items, done=done)
    record = entry(
        production, kind, by=by, subject=subject, stage=stage, item=item, changes=changes
    )
    record.save(force_insert=True)
    return record


def log_many(
    production: Production,
    kind: str,
    *,
    by: User,
    entries: list[dict],
    items: int = 0,
    done: int = 0,
) -> list[Activity]:
    """log() for a change made to many rows at once: one entry per row (each a
    dict of log()'s subject, stage, item and changes), written in one INSERT,
    with one UPDATE of the production (counters moved by the totals)."""
    bump(production, items=items, done=done)
    return Activity.objects.bulk_create(entry(production, kind, by=by, **e) for e in entries)
