"""The activity log: one entry per change, written by the service making it,
inside its transaction, so a change and its entry land (or fail) together."""

import datetime

from django.db import models
from django.db.models import F

from ..models import Activity, Production
from .returning import update_returning

Kind = Activity.Kind


def display(value):
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


def changes_between(obj, fields):
    """{"field": [before, after]} for each of `fields` that differs from `obj`."""
    changes = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [display(old), display(new)]
    return changes


def entry(production, kind, *, by, subject="", stage=None, item=None, changes=None, bulk=None):
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


def _bump(production, *, items=0, done=0):
    """The production's live version, and its counters moved, in one UPDATE
    that also reads them back onto `production` (its progress as of now)."""
    for row in update_returning(
        Production.all_objects.filter(pk=production.pk),
        ["live_version", "item_count", "done_count"],
        live_version=F("live_version") + 1,
        item_count=F("item_count") + items,
        done_count=F("done_count") + done,
    ):
        production.live_version = row.live_version
        production.item_count, production.done_count = row.item_count, row.done_count


def log(production, kind, *, by, subject="", stage=None, item=None, changes=None, items=0, done=0):
    """Write the entry, bump the production's live version (open pages poll it)
    and move its item counters by `items` and `done`, in one UPDATE."""
    _bump(production, items=items, done=done)
    record = entry(
        production, kind, by=by, subject=subject, stage=stage, item=item, changes=changes
    )
    record.save(force_insert=True)
    return record


def log_many(production, kind, *, by, entries, items=0, done=0):
    """log() for a change made to many rows at once: one entry per row (each a
    dict of log()'s subject, stage, item and changes), written in one INSERT,
    with one UPDATE of the production (counters moved by the totals)."""
    _bump(production, items=items, done=done)
    return Activity.objects.bulk_create(entry(production, kind, by=by, **e) for e in entries)
