"""The rows every export shares, their columns, and CSV."""

import csv
import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from ..fields import CREW, DETAILS, ITEM_FIELDS, MOMENT, ROLE, USER, lookups
from ..models import Assignment, ChecklistItem, CrewMember, Profile, Stage

# (key, header) of every column, in file order: the ID first, so a file
# re-imports onto the same items; then the stage's columns; then the item's
# (fields.ITEM_FIELDS). "Done at" is followed by the zone's name.
STAGE_COLUMNS = [
    ("id", "ID"),
    ("production", "Production"),
    ("stage", "Stage"),
    ("phase", "Phase"),
    ("stage_status", "Stage status"),
    ("stage_start", "Stage start"),
    ("stage_due", "Stage due"),
]
COLUMNS = [*STAGE_COLUMNS, *((f.column, f.label) for f in ITEM_FIELDS)]
KEYS = [key for key, _ in COLUMNS]

# A cell starting with one of these is run as a formula by spreadsheet apps.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Text as a spreadsheet must receive it: a leading quote defuses a formula."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


class Row:
    """One checklist item as every format exports it: an attribute per column
    key (see COLUMNS), and `stage_id`. Dates are dates; "done at" is aware, in
    the export's zone."""

    def __init__(self, stage_id, **values):
        self.stage_id = stage_id
        self.__dict__.update(values)

    def values(self):
        return [getattr(self, key) for key in KEYS]

    @property
    def details(self):
        """(label, value) of the fields shown as a line of their own in print
        and calendar events (fields.ItemField.detail), when set."""
        return [(f.label, getattr(self, f.column)) for f in DETAILS if getattr(self, f.column)]


@dataclass(frozen=True)
class Filters:
    """Which items an export holds: all by default."""

    stage: Stage | None = None
    assignee: CrewMember | None = None
    open_only: bool = False
    location: str = ""  # the items whose location contains it (any case)

    def apply(self, items):
        if self.stage is not None:
            items = items.filter(stage=self.stage)
        if self.assignee is not None:
            items = items.filter(assignee=self.assignee)
        if self.open_only:
            items = items.open()
        if self.location:
            items = items.filter(location__icontains=self.location)
        return items

    def apply_to_stages(self, stages):
        return stages.filter(pk=self.stage.pk) if self.stage is not None else stages

    @property
    def picks_items(self):
        """Whether it keeps some of a stage's items and not others (the
        calendar then leaves out the stages none of whose items it keeps)."""
        return self.assignee is not None or self.open_only or bool(self.location)

    @property
    def is_filtered(self):
        return self.stage is not None or self.picks_items

    def describe(self):
        parts = []
        if self.stage is not None:
            parts.append(f"Stage: {self.stage.name}")
        if self.assignee is not None:
            parts.append(f"Assigned to {self.assignee.name}")
        if self.open_only:
            parts.append("Open items only")
        if self.location:
            parts.append(f"Location contains “{self.location}”")
        return " · ".join(parts)

    def filename(self, production, extension, today):
        parts = [production.slug, "checklist"]
        if self.stage is not None:
            parts.append(slugify(self.stage.name) or f"stage-{self.stage.pk}")
        if self.assignee is not None:
            parts.append(slugify(self.assignee.name) or f"person-{self.assignee.pk}")
        if self.open_only:
            parts.append("open")
        if self.location:
            slug = slugify(self.location)[:40].strip("-")
            parts.append(f"at-{slug}" if slug else "location")
        return f"{'-'.join(parts)}-{today:%Y-%m-%d}.{extension}"


def export_zone(user):
    """The user's own time zone (their profile), else the site's: one query."""
    name = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_current_timezone()


def zone_name(zone):
    return getattr(zone, "key", None) or str(zone)


def headers(zone):
    """The header row: "Done at" names the zone its times are in."""
    return [f"{label} ({zone_name(zone)})" if key == "done_at" else label for key, label in COLUMNS]


def roles_by_crew(production):
    """{crew member id: "Director; Producer"}: their roles on this production (one query)."""
    roles = defaultdict(list)
    assignments = Assignment.objects.filter(production=production).order_by("role__name", "pk")
    for crew_id, role in assignments.values_list("crew_member_id", "role__name"):
        roles[crew_id].append(role)
    return {crew_id: "; ".join(names) for crew_id, names in roles.items()}


STAGE_FIELDS = [
    "pk",
    "stage_id",
    "stage__name",
    "stage__phase",
    "stage__status",
    "stage__start_date",
    "stage__due_date",
]
ROW_FIELDS = [*STAGE_FIELDS, *(lookup for f in ITEM_FIELDS for lookup in lookups(f))]


def export_rows(production, filters, zone, *, chunk_size=2000):
    """Yield a Row per checklist item of `production` under `filters`.

    Two queries whatever the size: the assignees' roles, then the items read
    as plain tuples in chunks (a server-side cursor on PostgreSQL), so memory
    stays flat for a hundred thousand items."""
    roles = roles_by_crew(production)
    phases = dict(Stage.Phase.choices)
    statuses = dict(Stage.Status.choices)
    items = filters.apply(ChecklistItem.objects.of_production(production)).values_list(*ROW_FIELDS)
    title = production.title
    for values in items.iterator(chunk_size=chunk_size):
        pk, stage_id, stage_name, phase, stage_status, stage_start, stage_due = values[:7]
        read = iter(values[7:])
        row = {}
        crew_id = default_role = None
        for f in ITEM_FIELDS:
            if f.kind == CREW:
                crew_id, name, default_role = next(read), next(read), next(read)
                row[f.column] = name or ""
            elif f.kind == ROLE:
                row[f.column] = (roles.get(crew_id) or default_role or "") if crew_id else ""
            elif f.kind == USER:
                row[f.column] = next(read) or ""
            elif f.kind == MOMENT:
                value = next(read)
                row[f.column] = value.astimezone(zone) if value else None
            else:
                row[f.column] = next(read)
        yield Row(
            stage_id,
            id=pk,
            production=title,
            stage=stage_name,
            phase=phases.get(phase, phase),
            stage_status=statuses.get(stage_status, stage_status),
            stage_start=stage_start,
            stage_due=stage_due,
            **row,
        )


# --- CSV --------------------------------------------------------------------


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


class _Line:
    """A file-like object whose write() returns what it was given."""

    def write(self, value):
        return value


def csv_chunks(rows, zone, *, batch=500):
    """The CSV file as text chunks: a byte-order mark (so Excel reads UTF-8),
    the header, then the rows, a few hundred to a chunk."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(headers(zone))
    lines = []
    for row in rows:
        lines.append(writer.writerow([csv_cell(value) for value in row.values()]))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


# --- Excel ------------------------------------------------------------------
