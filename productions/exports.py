"""Exports of a production's checklist: one source of rows, one writer per format.

`export_rows()` yields the checklist rows of a production under a `Filters`
(a stage, an assignee, open items only), in the page's order, with the same
columns for every format. The writers below turn those rows into CSV, Excel,
PDF (through the print template), iCalendar; `production_document()` is the
whole production as versioned JSON (see docs/exports.md).

Who may export is the caller's business: views look the production up through
access.py (any member may export, viewers included) before calling these.
Every text cell a spreadsheet could run as a formula is neutralised by
`neutralise()`, and imports.py undoes exactly that on the way back in.
"""

import csv
import datetime
import re
import tempfile
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from .models import Assignment, ChecklistItem, Comment, CrewMember, Profile, Stage

# (key, header) of every column, in file order. The ID comes first, so a file
# re-imports onto the same items; "Done at" is followed by the zone's name.
COLUMNS = [
    ("id", "ID"),
    ("production", "Production"),
    ("stage", "Stage"),
    ("phase", "Phase"),
    ("stage_status", "Stage status"),
    ("stage_start", "Stage start"),
    ("stage_due", "Stage due"),
    ("title", "Item"),
    ("notes", "Notes"),
    ("required", "Required"),
    ("assignee", "Assignee"),
    ("role", "Role"),
    ("due", "Due"),
    ("done", "Done"),
    ("done_by", "Done by"),
    ("done_at", "Done at"),
]
KEYS = [key for key, _ in COLUMNS]

# A cell starting with one of these is run as a formula by spreadsheet apps.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Text as a spreadsheet must receive it: a leading quote defuses a formula."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


@dataclass(frozen=True)
class Row:
    """One checklist item as every format exports it (see COLUMNS)."""

    id: int
    production: str
    stage: str
    phase: str
    stage_status: str
    stage_start: datetime.date | None
    stage_due: datetime.date | None
    title: str
    notes: str
    required: bool
    assignee: str
    role: str
    due: datetime.date | None
    done: bool
    done_by: str
    done_at: datetime.datetime | None  # aware, in the export's zone
    stage_id: int

    def values(self):
        return [getattr(self, key) for key in KEYS]


@dataclass(frozen=True)
class Filters:
    """Which items an export holds: all by default."""

    stage: Stage | None = None
    assignee: CrewMember | None = None
    open_only: bool = False

    def apply(self, items):
        if self.stage is not None:
            items = items.filter(stage=self.stage)
        if self.assignee is not None:
            items = items.filter(assignee=self.assignee)
        if self.open_only:
            items = items.open()
        return items

    def apply_to_stages(self, stages):
        return stages.filter(pk=self.stage.pk) if self.stage is not None else stages

    @property
    def is_filtered(self):
        return self.stage is not None or self.assignee is not None or self.open_only

    def describe(self):
        parts = []
        if self.stage is not None:
            parts.append(f"Stage: {self.stage.name}")
        if self.assignee is not None:
            parts.append(f"Assigned to {self.assignee.name}")
        if self.open_only:
            parts.append("Open items only")
        return " · ".join(parts)

    def filename(self, production, extension, today):
        parts = [production.slug, "checklist"]
        if self.stage is not None:
            parts.append(slugify(self.stage.name) or f"stage-{self.stage.pk}")
        if self.assignee is not None:
            parts.append(slugify(self.assignee.name) or f"person-{self.assignee.pk}")
        if self.open_only:
            parts.append("open")
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


ROW_FIELDS = [
    "pk",
    "stage_id",
    "stage__name",
    "stage__phase",
    "stage__status",
    "stage__start_date",
    "stage__due_date",
    "title",
    "notes",
    "required",
    "assignee_id",
    "assignee__name",
    "assignee__default_role__name",
    "due_date",
    "done",
    "done_by__username",
    "done_at",
]


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
    for (
        pk,
        stage_id,
        stage_name,
        phase,
        stage_status,
        stage_start,
        stage_due,
        item_title,
        notes,
        required,
        assignee_id,
        assignee_name,
        default_role,
        due,
        done,
        done_by,
        done_at,
    ) in items.iterator(chunk_size=chunk_size):
        yield Row(
            id=pk,
            production=title,
            stage=stage_name,
            phase=phases.get(phase, phase),
            stage_status=statuses.get(stage_status, stage_status),
            stage_start=stage_start,
            stage_due=stage_due,
            title=item_title,
            notes=notes,
            required=required,
            assignee=assignee_name or "",
            role=(roles.get(assignee_id) or default_role or "") if assignee_id else "",
            due=due,
            done=done,
            done_by=done_by or "",
            done_at=done_at.astimezone(zone) if done_at else None,
            stage_id=stage_id,
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

XLSX_WIDTHS = {
    "id": 8,
    "production": 24,
    "stage": 24,
    "phase": 16,
    "stage_status": 14,
    "stage_start": 12,
    "stage_due": 12,
    "title": 44,
    "notes": 44,
    "required": 10,
    "assignee": 22,
    "role": 20,
    "due": 12,
    "done": 8,
    "done_by": 14,
    "done_at": 18,
}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
ALL_ITEMS = "All items"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name, taken):
    """A valid, unique Excel sheet name (31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'")[:31] or "Stage"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_xlsx(rows, zone, stages, out):
    """Write the workbook to the binary file `out`: an "All items" sheet, then
    one per stage (`stages`: (id, name) in order). Write-only mode keeps memory
    flat; header styled and frozen, autofilter, widths, real dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook(write_only=True)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="343A40")
    taken = set()

    def new_sheet(title):
        sheet = workbook.create_sheet(sheet_title(title, taken))
        sheet.freeze_panes = "A2"
        for index, key in enumerate(KEYS, start=1):
            sheet.column_dimensions[column_letter(index)].width = XLSX_WIDTHS[key]
        cells = []
        for label in headers(zone):
            cell = WriteOnlyCell(sheet, value=label)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(vertical="center")
            cells.append(cell)
        sheet.append(cells)
        return sheet

    everything = new_sheet(ALL_ITEMS)
    per_stage = {stage_id: new_sheet(name) for stage_id, name in stages}
    counts = defaultdict(int)

    def cell_for(sheet, value):
        if isinstance(value, datetime.datetime):
            cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return csv_cell(value) if not isinstance(value, int) or isinstance(value, bool) else value

    for row in rows:
        values = row.values()
        everything.append([cell_for(everything, value) for value in values])
        counts[None] += 1
        sheet = per_stage.get(row.stage_id)
        if sheet is not None:
            sheet.append([cell_for(sheet, value) for value in values])
            counts[row.stage_id] += 1

    last = column_letter(len(KEYS))
    everything.auto_filter.ref = f"A1:{last}{counts[None] + 1}"
    for stage_id, sheet in per_stage.items():
        sheet.auto_filter.ref = f"A1:{last}{counts[stage_id] + 1}"
    workbook.save(out)


def xlsx_file(rows, zone, stages):
    """The workbook in a temporary file (spilled to disk past 1 MB), rewound."""
    # Closed by the FileResponse that sends it.
    out = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
    write_xlsx(rows, zone, stages, out)
    out.seek(0)
    return out


# --- Print view and PDF -----------------------------------------------------

PRINT_TEMPLATE = "productions/checklist_print.html"
PRINT_CSS = "css/print.css"


@dataclass
class StageGroup:
    id: int
    name: str
    phase: str
    status: str
    start: datetime.date | None
    due: datetime.date | None
    rows: list


def grouped_by_stage(rows):
    """Rows (already in stage order) as one StageGroup per stage."""
    groups = []
    for row in rows:
        if not groups or groups[-1].id != row.stage_id:
            groups.append(
                StageGroup(
                    row.stage_id,
                    row.stage,
                    row.phase,
                    row.stage_status,
                    row.stage_start,
                    row.stage_due,
                    [],
                )
            )
        groups[-1].rows.append(row)
    return groups


def print_context(production, filters, zone, rows):
    groups = grouped_by_stage(rows)
    return {
        "production": production,
        "filters": filters,
        "groups": groups,
        "item_count": sum(len(group.rows) for group in groups),
        "zone_name": zone_name(zone),
        # Formatted here: the template's date filter would move it to the site's zone.
        "generated_at": f"{timezone.now().astimezone(zone):%Y-%m-%d %H:%M}",
    }


class _NoFetching:
    """A WeasyPrint URL fetcher that fetches nothing: the PDF is made from
    our template and stylesheet alone, never from a URL found in user text."""

    _fail_on_errors = False

    def __call__(self, url, *args, **kwargs):
        raise ValueError(f"Not fetched: {url}")


def pdf_bytes(context):
    """The print template, rendered by WeasyPrint with the print stylesheet."""
    from weasyprint import CSS, HTML

    html = render_to_string(PRINT_TEMPLATE, {**context, "pdf": True})
    with open(finders.find(PRINT_CSS), encoding="utf-8") as css:
        stylesheet = CSS(string=css.read(), url_fetcher=_NoFetching())
    return HTML(string=html, url_fetcher=_NoFetching()).write_pdf(stylesheets=[stylesheet])


# --- iCalendar --------------------------------------------------------------

UID_DOMAIN = "bts-tracker"


def calendar_bytes(production, filters, zone, rows, *, name=None):
    """An .ics of the production's stage dates (all-day events spanning start to
    due) and item due dates (all-day events), with stable UIDs, so calendar
    apps re-fetching a subscription update events instead of duplicating them.

    Items are VEVENTs, not VTODOs: Google Calendar and Outlook subscriptions
    show events only."""
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
    if filters.assignee is not None or filters.open_only:
        stages = stages.filter(pk__in=stage_ids)
    for stage in stages.filter(Q(start_date__isnull=False) | Q(due_date__isnull=False)):
        first = stage.start_date or stage.due_date
        last = stage.due_date or stage.start_date
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
        if row.due is None:
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
        if row.notes:
            lines.append(row.notes)
        event.add("description", "\n".join(lines))
        event.add("categories", [row.stage])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


# --- JSON -------------------------------------------------------------------

JSON_FORMAT = "bts-tracker/production"
JSON_VERSION = 1


def _date(value):
    return value.isoformat() if value else None


def _datetime(value):
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if value else None


def production_document(production):
    """The whole production as a plain dict (docs/exports.md, format version 1):
    production, crew, assignments, stages with their items and comments.
    Trashed stages and items are left out. Five queries."""
    stages = list(production.stages.order_by("position", "pk"))
    items = list(
        ChecklistItem.objects.of_production(production)
        .select_related("done_by")
        .only(
            "pk",
            "stage_id",
            "title",
            "notes",
            "assignee_id",
            "due_date",
            "required",
            "done",
            "done_at",
            "done_by__username",
            "position",
        )
    )
    comments = defaultdict(list)
    for item_id, author, body, created_at in (
        Comment.objects.filter(item__in=[item.pk for item in items])
        .order_by("created_at", "pk")
        .values_list("item_id", "author__username", "body", "created_at")
    ):
        comments[item_id].append(
            {"author": author, "body": body, "created_at": _datetime(created_at)}
        )
    assignments = list(
        Assignment.objects.filter(production=production)
        .order_by("crew_member__name", "role__name", "pk")
        .values_list("crew_member_id", "role__name")
    )
    crew_ids = {crew_id for crew_id, _ in assignments} | {
        item.assignee_id for item in items if item.assignee_id
    }
    crew = (
        CrewMember.objects.filter(pk__in=crew_ids)
        .order_by("name", "pk")
        .values_list("pk", "name", "email", "phone", "default_role__name")
    )
    items_by_stage = defaultdict(list)
    for item in items:
        items_by_stage[item.stage_id].append(item)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "exported_at": _datetime(timezone.now()),
        "production": {
            "id": production.pk,
            "slug": production.slug,
            "title": production.title,
            "kind": production.kind,
            "artist": production.artist,
            "venue": production.venue,
            "start_date": _date(production.start_date),
            "end_date": _date(production.end_date),
            "status": production.status,
            "description": production.description,
        },
        "crew": [
            {"id": pk, "name": name, "email": email, "phone": phone, "default_role": role}
            for pk, name, email, phone, role in crew
        ],
        "assignments": [{"crew": crew_id, "role": role} for crew_id, role in assignments],
        "stages": [
            {
                "id": stage.pk,
                "name": stage.name,
                "phase": stage.phase,
                "status": stage.status,
                "status_manual": stage.status_manual,
                "start_date": _date(stage.start_date),
                "due_date": _date(stage.due_date),
                "notes": stage.notes,
                "items": [
                    {
                        "id": item.pk,
                        "title": item.title,
                        "notes": item.notes,
                        "assignee": item.assignee_id,
                        "due_date": _date(item.due_date),
                        "required": item.required,
                        "done": item.done,
                        "done_at": _datetime(item.done_at),
                        "done_by": item.done_by.username if item.done_by else None,
                        "comments": comments[item.pk],
                    }
                    for item in items_by_stage[stage.pk]
                ],
            }
            for stage in stages
        ],
    }
