"""The schedule's page queries and conflicts, in a fixed number of queries.

- schedule(production, zone, person): the schedule page (every live day,
  who is called, conflicts): 3 queries + conflicts' 2, whatever its size.
- call_sheet(day, zone): one day's call sheet: 4 queries (5 when the day
  has a stage: its open items due that day) + conflicts' 2.
- conflicts(days): the warnings about `days` (loaded with their calls and
  locations), across every live production: 2 queries.

Times are stored as wall-clock times in the production's zone; here they
become aware datetimes (for conflicts) and Clocks (for the pages: the time
in the production's zone, "+1" after midnight, and the viewer's time and
zone when the viewer's zone is at another offset then).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, prefetch_related_objects

from .models import Call, ChecklistItem, ShootDay

REST = datetime.timedelta(hours=10)
MIDNIGHT = datetime.time(0, 0)


@dataclass(frozen=True)
class Clock:
    """A time of a day, as its production writes it and as the viewer reads it."""

    text: str  # "07:00", in the production's zone
    plus: int  # days after the day's date (1: "+1")
    viewer_text: str = ""  # "06:00" in the viewer's zone, when its offset differs
    viewer_plus: int = 0
    viewer_zone: str = ""
    iso: str = ""  # the instant, for <time datetime>


def clock(day_date, time, zone, viewer_zone, plus=0):
    if time is None:
        return None
    at = datetime.datetime.combine(day_date + datetime.timedelta(days=plus), time, zone)
    seen = at.astimezone(viewer_zone)
    differs = seen.utcoffset() != at.utcoffset()
    return Clock(
        text=f"{time:%H:%M}",
        plus=plus,
        viewer_text=f"{seen:%H:%M}" if differs else "",
        viewer_plus=(seen.date() - day_date).days if differs else 0,
        viewer_zone=str(viewer_zone) if differs else "",
        iso=at.isoformat(),
    )


def day_interval(day):
    """(start, end), aware, of a day: its general call (else midnight) to its
    wrap (else the end of its date)."""
    zone = day.production.zone
    start = datetime.datetime.combine(day.date, day.call_time or MIDNIGHT, zone)
    return start, _end(day, zone, start)


def _end(day, zone, start):
    if day.wrap_time is None:
        end = datetime.datetime.combine(day.date + datetime.timedelta(days=1), MIDNIGHT, zone)
    else:
        wrap_date = day.date + datetime.timedelta(days=1 if day.wraps_next_day else 0)
        end = datetime.datetime.combine(wrap_date, day.wrap_time, zone)
    return max(end, start)


def call_interval(call):
    day = call.day
    zone = day.production.zone
    start = datetime.datetime.combine(day.date, call.call_time or day.call_time or MIDNIGHT, zone)
    return start, _end(day, zone, start)


def person_key(call):
    """One person, however they are called: a login's id (a crew member
    with a login is that login), else the crew member's id."""
    if call.user_id:
        return f"u{call.user_id}"
    if call.crew_member.user_id:
        return f"u{call.crew_member.user_id}"
    return f"c{call.crew_member_id}"


@dataclass
class Conflict:
    kind: str  # overlap, places, location, rest
    key: str  # stable: what "Keep anyway" records
    message: str
    day_ids: set = field(default_factory=set)  # the days it concerns
    kept: bool = False

    @property
    def description(self):
        return self.message


def _where(call):
    day = call.day
    return f"{day.production.title} ({day.get_kind_display().lower()} {day.date:%-d %b})"


def _hours(delta):
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d}"


_CALL_ROWS = ("day__production", "crew_member", "user", "role", "location")


def conflicts(days):
    """The conflicts that concern any of `days` (live days, loaded with
    `calls` (their crew_member, user) and `locations`), across every live
    production. Two queries: the calls of everyone called on `days` within
    a day of them, and every booking of their locations then."""
    days = [day for day in days if day.kind != ShootDay.Kind.DAY_OFF]
    if not days:
        return []
    ours = {day.pk for day in days}
    low = min(day.date for day in days) - datetime.timedelta(days=1)
    high = max(day.date for day in days) + datetime.timedelta(days=1)
    crew_ids, user_ids = set(), set()
    location_ids = set()
    for day in days:
        location_ids.update(location.pk for location in day.locations.all())
        for call in day.calls.all():
            if call.user_id:
                user_ids.add(call.user_id)
            else:
                crew_ids.add(call.crew_member_id)
                if call.crew_member.user_id:
                    user_ids.add(call.crew_member.user_id)
            if call.location_id:
                location_ids.add(call.location_id)
    live = Q(
        day__deleted_at__isnull=True,
        day__production__deleted_at__isnull=True,
        day__date__gte=low,
        day__date__lte=high,
    ) & ~Q(day__kind=ShootDay.Kind.DAY_OFF)
    found = []
    if crew_ids or user_ids or location_ids:
        calls = list(
            Call.objects.filter(live)
            .filter(
                Q(crew_member__in=crew_ids)
                | Q(user__in=user_ids)
                | Q(crew_member__user__in=user_ids)
                | Q(location__in=location_ids)
            )
            .select_related(*_CALL_ROWS)
        )
        places = _places_of({call.day_id for call in calls} | ours, location_ids, low, high)
        people = defaultdict(list)
        for call in calls:
            if (
                call.user_id in user_ids
                or call.crew_member_id in crew_ids
                or (call.crew_member_id and call.crew_member.user_id in user_ids)
            ):
                people[person_key(call)].append(call)
        for person_calls in people.values():
            found += _person_conflicts(person_calls, ours, places)
        found += _location_conflicts(calls, location_ids, ours, places)
    return _dedupe(found)


def _person_conflicts(calls, ours, places):
    found = []
    timed = sorted(((call_interval(c), c) for c in calls), key=lambda t: (t[0][0], t[1].pk))
    for i, ((_, a_end), a) in enumerate(timed):
        for (b_start, _), b in timed[i + 1 :]:
            if a.day_id == b.day_id or (a.day_id not in ours and b.day_id not in ours):
                continue
            if b_start - a_end >= REST and b.day.date > a.day.date:
                break
            name = a.person_name
            pair = f"{min(a.pk, b.pk)}-{max(a.pk, b.pk)}"
            both = {a.day_id, b.day_id}
            if b_start < a_end:
                found.append(
                    Conflict(
                        "overlap",
                        f"overlap:{pair}",
                        f"{name} is called on {_where(a)} and {_where(b)} at the same time.",
                        both,
                    )
                )
            elif a.day.date == b.day.date and _disjoint(_at(a, places), _at(b, places)):
                found.append(
                    Conflict(
                        "places",
                        f"places:{pair}",
                        f"{name} is called at different locations on the same date: "
                        f"{_where(a)} and {_where(b)}.",
                        both,
                    )
                )
            elif b_start - a_end < REST:
                found.append(
                    Conflict(
                        "rest",
                        f"rest:{pair}",
                        f"{name} has {_hours(b_start - a_end)} between the wrap of "
                        f"{_where(a)} and the call of {_where(b)} (less than 10 h).",
                        both,
                    )
                )
    return found


def _at(call, places):
    """The location ids a call is at: its own, else its day's."""
    if call.location_id:
        return {call.location_id}
    return {location.pk for location, _ in places["by_day"].get(call.day_id, ())}


def _disjoint(a, b):
    return bool(a and b and not a & b)


def _places_of(day_ids, location_ids, low, high):
    """One query: the locations of `day_ids` (by day) and every live day
    that books one of `location_ids` between `low` and `high`."""
    through = ShootDay.locations.through
    rows = (
        through.objects.filter(
            Q(shootday__in=day_ids) | Q(location__in=location_ids),
            shootday__deleted_at__isnull=True,
            shootday__production__deleted_at__isnull=True,
            shootday__date__gte=low,
            shootday__date__lte=high,
        )
        .exclude(shootday__kind=ShootDay.Kind.DAY_OFF)
        .select_related("shootday__production", "location")
    )
    by_day = defaultdict(list)
    for row in rows:
        by_day[row.shootday_id].append((row.location, row.shootday))
    return {"by_day": by_day}


def _location_conflicts(calls, location_ids, ours, places):
    """A location booked by two days at once (a day books its locations and
    those of its calls, for the day's hours)."""
    if not location_ids:
        return []
    bookings = {}
    for pairs in places["by_day"].values():
        for location, day in pairs:
            if location.pk in location_ids:
                bookings[(location.pk, day.pk)] = (location, day)
    for call in calls:
        if call.location_id in location_ids:
            bookings.setdefault((call.location_id, call.day_id), (call.location, call.day))
    by_location = defaultdict(list)
    for location, day in bookings.values():
        by_location[location.pk].append((day_interval(day), day, location))
    found = []
    for booked in by_location.values():
        booked.sort(key=lambda t: (t[0][0], t[1].pk))
        for i, ((_, a_end), a, location) in enumerate(booked):
            for (b_start, _), b, _ in booked[i + 1 :]:
                if b_start >= a_end:
                    break
                if a.pk not in ours and b.pk not in ours:
                    continue
                found.append(
                    Conflict(
                        "location",
                        f"location:{location.pk}:{min(a.pk, b.pk)}-{max(a.pk, b.pk)}",
                        f"{location.name} is booked twice at once: {a.production.title} "
                        f"({a.date:%-d %b}) and {b.production.title} ({b.date:%-d %b}).",
                        {a.pk, b.pk},
                    )
                )
    return found


def _dedupe(found):
    seen, out = set(), []
    for conflict in found:
        if conflict.key not in seen:
            seen.add(conflict.key)
            out.append(conflict)
    return out


@dataclass
class CallRow:
    call: Call
    time: Clock
    own_time: bool  # a call time of its own, not the general call
    location: object


@dataclass
class DayRow:
    day: ShootDay
    number: int | None  # "day 3 of 7" (days off have none)
    call: Clock | None
    wrap: Clock | None
    calls: list
    conflicts: list = field(default_factory=list)

    @property
    def open_conflicts(self):
        return [c for c in self.conflicts if not c.kept]


def _numbers(day_ids_in_order):
    """{day id: its number} for (id, kind) pairs in order: days off are not counted."""
    numbers, n = {}, 0
    for pk, kind in day_ids_in_order:
        if kind != ShootDay.Kind.DAY_OFF:
            n += 1
            numbers[pk] = n
    return numbers, n


def _day_row(day, number, viewer_zone):
    zone = day.production.zone
    places = list(day.locations.all())
    # A call without a location of its own is at the day's, when it has one.
    usual = places[0] if len(places) == 1 else None
    calls = []
    for call in day.calls.all():
        calls.append(
            CallRow(
                call,
                clock(day.date, call.call_time or day.call_time, zone, viewer_zone),
                call.call_time is not None,
                call.location or usual,
            )
        )
    calls.sort(key=lambda row: (row.call.call_time or day.call_time or MIDNIGHT, row.call.pk))
    return DayRow(
        day=day,
        number=number,
        call=clock(day.date, day.call_time, zone, viewer_zone),
        wrap=clock(day.date, day.wrap_time, zone, viewer_zone, 1 if day.wraps_next_day else 0),
        calls=calls,
    )


def _attach(rows, found):
    by_day = {row.day.pk: row for row in rows}
    kept = {key for row in rows for key in row.day.kept_conflicts}
    for conflict in found:
        conflict.kept = conflict.key in kept
        for day_id in sorted(conflict.day_ids):
            if day_id in by_day:
                by_day[day_id].conflicts.append(conflict)


def _days(queryset):
    days = list(
        queryset.select_related("production", "stage").prefetch_related(
            "locations",
            _calls_prefetch(),
        )
    )
    return days


def _calls_prefetch():
    return Prefetch(
        "calls",
        queryset=Call.objects.select_related("crew_member", "user", "role", "location").order_by(
            "pk"
        ),
    )


@dataclass
class Schedule:
    days: list  # DayRow
    total: int  # numbered days
    people: list  # (key, name) of everyone called, for the filter
    conflicts: list


def schedule(production, viewer_zone, person=""):
    """The schedule page of a production: its live days in order, each with
    its calls (only `person`'s, a person_key, when given) and conflicts."""
    days = _days(ShootDay.objects.filter(production=production).order_by("date", "position", "pk"))
    for day in days:
        day.production = production
    numbers, total = _numbers((day.pk, day.kind) for day in days)
    found = conflicts(days)
    rows = [_day_row(day, numbers.get(day.pk), viewer_zone) for day in days]
    _attach(rows, found)
    people = {}
    for row in rows:
        for call_row in row.calls:
            people[person_key(call_row.call)] = call_row.call.person_name
    if person:
        for row in rows:
            row.calls = [r for r in row.calls if person_key(r.call) == person]
        rows = [row for row in rows if row.calls]
    return Schedule(
        days=rows,
        total=total,
        people=sorted(people.items(), key=lambda kv: (kv[1].lower(), kv[0])),
        conflicts=found,
    )


@dataclass
class CallSheet:
    row: DayRow
    total: int
    locations: list  # every location of the day and its calls
    items: list  # the stage's open items due that day


def call_sheet(day, viewer_zone):
    """One day's call sheet (`day` from access.get_day_for_user)."""
    production = day.production
    order = ShootDay.objects.filter(production=production).order_by("date", "position", "pk")
    numbers, total = _numbers(order.values_list("pk", "kind"))
    prefetch_related_objects([day], "locations", _calls_prefetch())
    loaded = day
    row = _day_row(loaded, numbers.get(day.pk), viewer_zone)
    _attach([row], conflicts([loaded]))
    locations = {location.pk: location for location in loaded.locations.all()}
    for call_row in row.calls:
        if call_row.location is not None:
            locations.setdefault(call_row.location.pk, call_row.location)
    items = []
    if loaded.stage_id:
        items = list(
            ChecklistItem.objects.filter(
                stage_id=loaded.stage_id,
                stage__deleted_at__isnull=True,
                due_date=loaded.date,
                done=False,
            )
            .select_related("assignee")
            .order_by("position", "pk")
        )
    return CallSheet(
        row=row,
        total=total,
        locations=sorted(locations.values(), key=lambda loc: (loc.name.lower(), loc.pk)),
        items=items,
    )
