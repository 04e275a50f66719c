"""iCalendar (.ics): stage dates and item due dates as events."""

import datetime

from django.db.models import Q
from django.utils import timezone

from ..models import in_calendar_range
from .rows import (
    zone_name,
)

UID_DOMAIN = "bts-tracker"


def calendar_bytes(production, filters, zone, rows, *, name=None):
    """An .ics of the production's stage dates (all-day events spanning start to
    due) and item due dates (all-day events), with stable UIDs, so calendar
    apps re-fetching a subscription update events instead of duplicating them.

    Items are VEVENTs, not VTODOs: Google Calendar and Outlook subscriptions
    show events only. A date outside the range the app stores (models.dates;
    one stored before the range was enforced) is left out, not a failed feed."""
    from icalendar import Calendar, Event, vDuration

    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//BTS Tracker//Checklist//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    title = name or production.title
    calendar.add("x-wr-calname", title)
    calendar.add("name", title)
    calendar.add("x-wr-timezone", zone_name(zone))
    calendar.add("refresh-interval", vDuration(datetime.timedelta(hours=1)))
    calendar.add("x-published-ttl", "PT1H")

    rows = list(rows)
    stage_ids = {row.stage_id for row in rows}
    stages = filters.apply_to_stages(production.stages.all()).order_by("position", "pk")
    if filters.picks_items:
        stages = stages.filter(pk__in=stage_ids)
    for stage in stages.filter(Q(start_date__isnull=False) | Q(due_date__isnull=False)):
        first = stage.start_date or stage.due_date
        last = stage.due_date or stage.start_date
        if not (in_calendar_range(first) and in_calendar_range(last)):
            continue
        event = Event()
        event.add("uid", f"stage-{stage.pk}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("summary", f"{stage.name} ({production.title})")
        event.add("dtstart", first)
        event.add("dtend", max(first, last) + datetime.timedelta(days=1))
        event.add("description", f"Stage · {stage.get_status_display()}")
        event.add("transp", "TRANSPARENT")
        event.add("sequence", stage.version)
        calendar.add_component(event)
    for row in rows:
        if row.due is None or not in_calendar_range(row.due):
            continue
        event = Event()
        event.add("uid", f"item-{row.id}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        mark = "✓ " if row.done else ""
        event.add("summary", f"{mark}Due: {row.title}")
        event.add("dtstart", row.due)
        event.add("dtend", row.due + datetime.timedelta(days=1))
        lines = [f"{production.title} · {row.stage}", "Done" if row.done else "Open"]
        if row.assignee:
            lines.append(f"Assigned to {row.assignee}")
        lines.extend(f"{label}: {value}" for label, value in row.details)
        if row.notes:
            lines.append(row.notes)
        event.add("description", "\n".join(lines))
        event.add("categories", [row.stage])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


# --- JSON -------------------------------------------------------------------
