"""The schedule: shoot days and the people called on them, and locations.

Every function is one transaction with its activity entry, `by=` the user.

Lock order: services/locks.py's (a call before its day, a day before the
production, which log() moves last). Writers that change the production's
list of days (add, duplicate) lock the production first and then only
insert. No writer here locks a checklist item or a stage.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ..exceptions import Conflict, Gone
from ..models import Call, Location, ShootDay, in_calendar_range
from ..textclean import visible
from .activity import Kind, changes_between, display, log, save_edit
from .locks import lock_call, lock_day, lock_production

# What add_day and update_day may set (besides the date).
DAY_FIELDS = {
    "kind",
    "stage",
    "call_time",
    "wrap_time",
    "wraps_next_day",
    "locations",
    "notes",
    "weather",
}
CALL_FIELDS = {"role", "call_time", "location", "notes"}


def _check_date(date):
    if date is None or not in_calendar_range(date):
        raise ValidationError({"date": "Pick a date from 1900 to 2200."})


def _check_times(fields):
    if fields.get("wraps_next_day") and fields.get("wrap_time") is None:
        raise ValidationError({"wrap_time": "A wrap after midnight needs a wrap time."})
    call, wrap = fields.get("call_time"), fields.get("wrap_time")
    if call and wrap and wrap <= call and not fields.get("wraps_next_day"):
        raise ValidationError(
            {"wrap_time": "The wrap is before the call: tick “wraps after midnight” (+1)."}
        )


def _check_stage(production, stage):
    if stage is not None and stage.production_id != production.pk:
        raise ValidationError({"stage": "That stage is not in this production."})


def _next_position(production, date):
    last = ShootDay.all_objects.filter(production=production, date=date).aggregate(
        last=Max("position")
    )["last"]
    return (last or 0) + 1


def _names(locations):
    return ", ".join(sorted(str(location) for location in locations))


@transaction.atomic
def add_day(production, *, by, date, locations=(), **fields):
    """Add a day to the production's schedule (after the others on its date)."""
    unknown = set(fields) - DAY_FIELDS
    if unknown:
        raise TypeError(f"add_day cannot set {', '.join(sorted(unknown))}.")
    _check_date(date)
    _check_times(fields)
    _check_stage(production, fields.get("stage"))
    production = lock_production(production.pk)
    day = ShootDay.objects.create(
        production=production,
        date=date,
        position=_next_position(production, date),
        updated_by=by,
        updated_at=timezone.now(),
        **fields,
    )
    day.locations.set(locations)
    log(production, Kind.DAY_ADDED, by=by, subject=day)
    return day


@transaction.atomic
def update_day(day, *, by, version=None, **fields):
    """Save a day's edited fields (its date too: it goes after the days
    already on the new date); Conflict if someone saved it since `version`."""
    unknown = set(fields) - DAY_FIELDS - {"date"}
    if unknown:
        raise TypeError(f"update_day cannot change {', '.join(sorted(unknown))}.")
    if "date" in fields:
        _check_date(fields["date"])
    current = lock_day(day.pk)
    if version is not None and current.version != version:
        raise Conflict(current)
    if "date" in fields and fields["date"] != current.date:
        fields["position"] = _next_position(current.production, fields["date"])
    merged = {
        name: fields.get(name, getattr(current, name))
        for name in ("call_time", "wrap_time", "wraps_next_day")
    }
    _check_times(merged)
    _check_stage(current.production, fields.get("stage"))
    locations = fields.pop("locations", None)
    changes = changes_between(current, {k: v for k, v in fields.items() if k != "position"})
    if locations is not None:
        before = list(current.locations.all())
        if {location.pk for location in before} != {location.pk for location in locations}:
            changes["locations"] = [_names(before), _names(locations)]
            current.locations.set(locations)
    if not changes:
        return current
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    log(current.production, Kind.DAY_EDITED, by=by, subject=current, changes=changes)
    return current


@transaction.atomic
def move_day(day, *, by, date, version=None):
    """Move a day (with its calls) to another date."""
    _check_date(date)
    current = lock_day(day.pk)
    if version is not None and current.version != version:
        raise Conflict(current)
    if current.date == date:
        return current
    before = current.date
    current.date = date
    current.position = _next_position(current.production, date)
    current.version += 1
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=["date", "position", "version", "updated_by", "updated_at"])
    log(
        current.production,
        Kind.DAY_MOVED,
        by=by,
        subject=current,
        changes={"date": [display(before), display(date)]},
    )
    return current


@transaction.atomic
def duplicate_day(day, *, by, date):
    """A copy of the day on `date`, with its locations and calls."""
    _check_date(date)
    production = lock_production(day.production_id)
    source = (
        ShootDay.objects.filter(pk=day.pk, production=production)
        .prefetch_related("locations", "calls")
        .first()
    )
    if source is None:
        raise Gone("That day was just deleted.")
    copy = ShootDay.objects.create(
        production=production,
        date=date,
        position=_next_position(production, date),
        kind=source.kind,
        stage=source.stage,
        call_time=source.call_time,
        wrap_time=source.wrap_time,
        wraps_next_day=source.wraps_next_day,
        notes=source.notes,
        weather=source.weather,
        updated_by=by,
        updated_at=timezone.now(),
    )
    copy.locations.set(source.locations.all())
    Call.objects.bulk_create(
        Call(
            day=copy,
            crew_member_id=call.crew_member_id,
            user_id=call.user_id,
            role_id=call.role_id,
            call_time=call.call_time,
            location_id=call.location_id,
            notes=call.notes,
        )
        for call in source.calls.all()
    )
    log(
        production,
        Kind.DAY_DUPLICATED,
        by=by,
        subject=source,
        changes={"copy": display(date), "calls": len(source.calls.all())},
    )
    return copy


@transaction.atomic
def delete_day(day, *, by):
    """Move a day (with its calls) to the production's trash."""
    current = lock_day(day.pk)
    current.deleted_at, current.deleted_by = timezone.now(), by
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(current.production, Kind.DAY_DELETED, by=by, subject=current)
    return current


@transaction.atomic
def restore_day(day, *, by):
    current = lock_day(day.pk, deleted=True)
    current.deleted_at, current.deleted_by = None, None
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(current.production, Kind.DAY_RESTORED, by=by, subject=current)
    return current


@transaction.atomic
def keep_conflict(day, key, *, by, description):
    """Record that the day's planner keeps a conflict they were warned about."""
    current = lock_day(day.pk)
    if key in current.kept_conflicts:
        return current
    current.kept_conflicts = [*current.kept_conflicts, key]
    current.save(update_fields=["kept_conflicts"])
    log(
        current.production,
        Kind.CONFLICT_KEPT,
        by=by,
        subject=f"{current}: {description}",
        changes={"conflict": key},
    )
    return current


def _person(crew_member, user):
    if (crew_member is None) == (user is None):
        raise ValidationError("Call a crew member or a member, one of the two.")


@transaction.atomic
def add_call(day, *, by, crew_member=None, user=None, role=None, call_time=None, location=None,
             notes=""):  # fmt: skip
    """Call a person on a day. A person already called there is refused."""
    _person(crew_member, user)
    current = lock_day(day.pk)
    taken = Call.objects.filter(day=current)
    taken = taken.filter(crew_member=crew_member) if crew_member else taken.filter(user=user)
    if taken.exists():
        field = "crew_member" if crew_member else "user"
        raise ValidationError({field: "This person is already called on this day."})
    call = Call.objects.create(
        day=current,
        crew_member=crew_member,
        user=user,
        role=role,
        call_time=call_time,
        location=location,
        notes=notes,
    )
    log(
        current.production,
        Kind.CALL_ADDED,
        by=by,
        subject=f"{call.person_name} on {current}",
        changes={"call": display(call_time or current.call_time)},
    )
    return call


@transaction.atomic
def update_call(call, *, by, version=None, **fields):
    unknown = set(fields) - CALL_FIELDS
    if unknown:
        raise TypeError(f"update_call cannot change {', '.join(sorted(unknown))}.")
    current = lock_call(call.pk)
    changes = save_edit(current, fields, version=version)  # a call keeps no editor
    if not changes:
        return current
    log(
        current.day.production,
        Kind.CALL_EDITED,
        by=by,
        subject=f"{current.person_name} on {current.day}",
        changes=changes,
    )
    return current


@transaction.atomic
def remove_call(call, *, by):
    current = lock_call(call.pk)
    current.delete()
    log(
        current.day.production,
        Kind.CALL_REMOVED,
        by=by,
        subject=f"{current.person_name} on {current.day}",
    )
    return current


@transaction.atomic
def add_location(production, *, by, name, address="", access_notes="", nearest_hospital=""):
    """A new location in the shared list, logged on the production it was made for."""
    if not visible(name):
        raise ValidationError({"name": "A location needs a name."})
    if Location.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A location with this name already exists."})
    location = Location.objects.create(
        name=name,
        address=address,
        access_notes=access_notes,
        nearest_hospital=nearest_hospital,
        created_by=by,
    )
    log(production, Kind.LOCATION_ADDED, by=by, subject=name)
    return location


__all__ = [
    "add_call",
    "add_day",
    "add_location",
    "delete_day",
    "duplicate_day",
    "keep_conflict",
    "move_day",
    "remove_call",
    "restore_day",
    "update_call",
    "update_day",
]
