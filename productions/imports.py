"""Reading and checking imported files; nothing here writes.

Checklist items come from CSV or Excel (the columns of exports.COLUMNS, the ID
first): `read_table()` turns the upload into a `Table` of rows (or refuses the
whole file with `FileRefused`), `make_plan()` matches the rows against the
production (by ID when the file has one, else by stage and title) and says
what would be created, what updated, and every problem by row and column.
services/imports.py applies a plan with no problems in one transaction.

A production comes from the JSON of exports.production_document():
`read_production_document()` checks it whole and lists every problem by path.

Text cells lose the quote exports.neutralise() put before a formula-like
start, and pass through clean_text() like anything typed into a form; a
formula in an imported cell is kept as text, never evaluated.
"""

import csv
import datetime
import difflib
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.db.models.functions import Lower

from .exports import COLUMNS, FORMULA_STARTS, JSON_FORMAT, JSON_VERSION
from .models import Assignment, ChecklistItem, CrewMember, CrewRole, Production, Stage
from .textclean import clean_text

MAX_BYTES = 2 * 1024 * 1024  # an upload of checklist items
MAX_JSON_BYTES = 10 * 1024 * 1024  # a whole production
MAX_ROWS = 5000
# An .xlsx is a zip: refuse one that unpacks to more than this, or that packs
# suspiciously well (a "zip bomb"), before any XML is parsed.
XLSX_MAX_UNPACKED = 50 * 1024 * 1024
XLSX_MAX_RATIO = 150
XLSX_MAX_MEMBERS = 500

LABELS = dict(COLUMNS)
REQUIRED_COLUMNS = ["stage", "title"]
EDITABLE = ["stage", "title", "notes", "required", "assignee", "due", "done"]
# Exported for reading; an import ignores them (stage details are a manager's
# to change on the production page, "done by/at" follow from "Done").
READ_ONLY = [
    "production",
    "phase",
    "stage_status",
    "stage_start",
    "stage_due",
    "role",
    "done_by",
    "done_at",
]
YES = {"yes", "y", "true", "1", "x", "✓", "done"}
NO = {"no", "n", "false", "0", ""}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FileRefused(Exception):
    """The whole file cannot be imported; `message` says why, plainly."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row is not None and self.column:
            return f"Row {self.row}, {self.column}: {self.message}"
        if self.row is not None:
            return f"Row {self.row}: {self.message}"
        if self.column:
            return f"{self.column}: {self.message}"
        return self.message


@dataclass
class Table:
    """The rows of an uploaded file, checked cell by cell (not yet against the DB)."""

    columns: list  # keys of exports.COLUMNS present in the file
    rows: list  # [(row number, {key: value})] for the editable columns and "id"
    problems: list = field(default_factory=list)


def did_you_mean(value, choices):
    close = difflib.get_close_matches(value.lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    match = next(c for c in choices if c.lower() == close[0])
    return f" — did you mean '{match}'?"


def plural(n, word):
    return f"{n:,} {word}{'' if n == 1 else 's'}"


# --- Reading the file -------------------------------------------------------


def read_upload(upload, *, limit=MAX_BYTES):
    """The bytes of an uploaded file, refused if empty or over `limit`."""
    if upload.size > limit:
        raise FileRefused(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; "
            f"an import takes at most {limit // 1024 // 1024} MB."
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(f"The file is over {limit // 1024 // 1024} MB.")
    if not data.strip():
        raise FileRefused("The file is empty.")
    return data


def file_kind(name, data):
    """'csv' or 'xlsx', from the name and the first bytes (which must agree)."""
    lowered = (name or "").lower()
    is_zip = data[:4] == b"PK\x03\x04"
    if lowered.endswith(".xlsx"):
        if not is_zip:
            raise FileRefused(
                "The file is named .xlsx but is not an Excel workbook. "
                "Save it from Excel or LibreOffice as .xlsx, or as CSV UTF-8."
            )
        return "xlsx"
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        if is_zip:
            raise FileRefused(
                "The file is named .csv but is a zip or Excel file. "
                "Upload it with its .xlsx name, or save it as CSV UTF-8."
            )
        return "csv"
    if lowered.endswith(".xls"):
        raise FileRefused(
            "Old Excel files (.xls) cannot be read: save it as .xlsx or as CSV UTF-8."
        )
    raise FileRefused("Only .csv and .xlsx files can be imported here.")


def csv_cells(data):
    """The CSV's rows as lists of strings: UTF-8 (with or without a byte-order
    mark), comma-, semicolon- or tab-separated."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileRefused(
            "The file is UTF-16 text (Excel's “Unicode text”). "
            "Save it as “CSV UTF-8 (comma delimited)” instead."
        )
    if b"\x00" in data:
        raise FileRefused(
            "The file has NUL bytes: it is not plain text (perhaps UTF-16, or not a CSV). "
            "Save it as “CSV UTF-8 (comma delimited)”."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            f"The file is not UTF-8 text (line {line} has a byte UTF-8 does not use, "
            "typical of Latin-1 or Windows-1252). Save it as “CSV UTF-8 (comma delimited)” "
            "in Excel, or pick the Unicode (UTF-8) character set in LibreOffice."
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    if not first.count(delimiter):
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise FileRefused(f"Line {reader.line_num} cannot be read as CSV: {exc}.") from None


def xlsx_cells(data):
    """The rows of the "All items" sheet (else the first) of a workbook, after
    checking the zip inside is neither damaged nor a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise FileRefused("The workbook is damaged: it cannot be opened as .xlsx.") from None
    if len(members) > XLSX_MAX_MEMBERS:
        raise FileRefused("The workbook has too many parts to be a checklist.")
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > XLSX_MAX_UNPACKED or unpacked / packed > XLSX_MAX_RATIO:
        raise FileRefused(
            f"The workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB from "
            f"{len(data) / 1024:,.0f} KB, far more than a checklist needs: it was refused "
            "unopened. Save the sheet as CSV UTF-8 and import that."
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise FileRefused("The file is a zip but not an Excel workbook (.xlsx).")

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        names = workbook.sheetnames
        sheet = workbook["All items"] if "All items" in names else workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a malformed workbook
        raise FileRefused("The workbook could not be read: it may be damaged.") from None


def cell_text(value):
    """A cell as text, with the quote that defused a formula taken off again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text[:1] == "'" and text[1:2] and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def header_key(label):
    """The column key for a header label: "Done at (Europe/Paris)" is "done_at"."""
    text = re.sub(r"\s*\(.*\)\s*$", "", cell_text(label)).strip().lower()
    for key, header in COLUMNS:
        if text in (header.lower(), key.replace("_", " "), key):
            return key
    return {"title": "title", "due date": "due", "assigned to": "assignee"}.get(text)


def read_header(header):
    problems, keys, seen = [], [], {}
    labels = [cell_text(label).strip() for label in header]
    while labels and not labels[-1]:
        labels.pop()
    known = [label for _, label in COLUMNS]
    for index, label in enumerate(labels):
        letter = column_name(index)
        key = header_key(label)
        if key is None:
            if not label:
                problems.append(Problem(1, None, f"Column {letter} has no header."))
            else:
                hint = did_you_mean(label, known) or (
                    f" — the columns are: {', '.join(known)}; remove the others."
                )
                problems.append(Problem(1, None, f"Column {letter} '{label}' is unknown{hint}"))
        elif key in seen:
            problems.append(
                Problem(
                    1, None, f"The column '{LABELS[key]}' appears twice ({seen[key]} and {letter})."
                )
            )
        seen.setdefault(key, letter)
        keys.append(key)
    for key in REQUIRED_COLUMNS:
        if key not in seen:
            problems.append(Problem(1, None, f"The column '{LABELS[key]}' is missing."))
    return keys, problems


def column_name(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def yes_no(text):
    lowered = text.strip().lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ValueError(f"'{text}' is not yes or no.")


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).strip()
    if not text:
        return None
    if " " in text and text.endswith("00:00:00"):
        text = text.split(" ")[0]
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD (e.g. 2027-03-10).")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date.") from None


def read_row(number, keys, cells):
    """({key: value} for the columns an import uses, [Problem]) for one row."""
    values, problems = {}, []

    cells = [*cells, *([None] * (len(keys) - len(cells)))]

    def text(key, cell, *, multiline=False, limit):
        value = clean_text(cell_text(cell), multiline=multiline).strip()
        if len(value) > limit:
            problems.append(Problem(number, LABELS[key], f"is longer than {limit:,} characters."))
        return value

    for key, cell in zip(keys, cells, strict=False):
        if key is None or key in READ_ONLY:
            continue
        try:
            if key == "id":
                raw = cell_text(cell).strip()
                if not raw:
                    values["id"] = None
                elif raw.isdigit() and 0 < int(raw) < 2**63:
                    values["id"] = int(raw)
                else:
                    raise ValueError(f"'{raw}' is not an item ID (a whole number).")
            elif key in ("stage", "assignee"):
                values[key] = text(key, cell, limit=200)
            elif key == "title":
                values[key] = text(key, cell, limit=300)
            elif key == "notes":
                values[key] = text(key, cell, multiline=True, limit=5000)
            elif key in ("required", "done"):
                values[key] = yes_no(cell_text(cell))
            elif key == "due":
                values[key] = parse_date(cell)
        except ValueError as exc:
            problems.append(Problem(number, LABELS[key], str(exc)))
    for key in REQUIRED_COLUMNS:
        if key in values and not values[key]:
            problems.append(Problem(number, LABELS[key], "is empty."))
    return values, problems


def read_table(name, data):
    """The checked rows of an uploaded CSV or Excel file (`FileRefused` if the
    file as a whole cannot be used)."""
    kind = file_kind(name, data)
    cells = csv_cells(data) if kind == "csv" else xlsx_cells(data)
    header = next(cells, None)
    if header is None or not any(cell_text(c).strip() for c in header):
        raise FileRefused("The file is empty: it has no header row.")
    keys, problems = read_header(header)
    if problems:  # rows cannot be read against a header that is wrong
        return Table(columns=[k for k in keys if k], rows=[], problems=problems)
    rows, count = [], 0
    for number, row in enumerate(cells, start=2):
        if not any(cell_text(c).strip() for c in row):
            continue  # blank lines, and the empty rows spreadsheets leave below the data
        count += 1
        if count > MAX_ROWS:
            total = count + sum(1 for r in cells if any(cell_text(c).strip() for c in r))
            raise FileRefused(
                f"The file has {total:,} rows; one import takes at most {MAX_ROWS:,}. "
                "Split it into smaller files."
            )
        if len(row) > len(keys) and any(cell_text(c).strip() for c in row[len(keys) :]):
            problems.append(
                Problem(
                    number, None, f"has {len(row)} cells but the header names {len(keys)} columns."
                )
            )
            continue
        if problems and len(problems) > 200:
            continue
        values, row_problems = read_row(number, keys, row)
        problems.extend(row_problems)
        rows.append((number, values))
    if not count:
        raise FileRefused("The file has a header but no rows to import.")
    return Table(columns=[k for k in keys if k], rows=rows, problems=problems)


# --- Matching against the production ------------------------------------------


@dataclass
class Plan:
    creates: list = field(default_factory=list)  # [{"row", "stage", "title", ...}]
    updates: list = field(default_factory=list)  # [{"row", "item", "title", "changes"}]
    unchanged: int = 0
    problems: list = field(default_factory=list)

    @property
    def digest(self):
        """A fingerprint of what applying would do, to tell whether the
        production changed between the preview and the confirmation."""

        def plain(value):
            if isinstance(value, (Stage, CrewMember)):
                return value.pk
            if isinstance(value, datetime.date):
                return value.isoformat()
            return value

        payload = [
            [{k: plain(v) for k, v in c.items()} for c in self.creates],
            [
                [u["item"], {k: [plain(a), plain(b)] for k, (a, b) in u["changes"].items()}]
                for u in self.updates
            ],
            self.unchanged,
        ]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    @property
    def changes_anything(self):
        return bool(self.creates or self.updates)


# (model field, column key) compared when a row updates an item.
FIELDS = [
    ("title", "title"),
    ("notes", "notes"),
    ("required", "required"),
    ("due_date", "due"),
    ("done", "done"),
]


def _by_name(objects):
    names = {}
    for obj in objects:
        names.setdefault(obj.name.strip().lower(), []).append(obj)
    return names


def make_plan(production, table, *, lock=False):
    """What importing `table` into `production` would do, and every problem.

    `lock`: lock the production's items (inside the applying transaction)."""
    plan = Plan(problems=list(table.problems))
    stages = list(production.stages.order_by("position", "pk"))
    stage_names = _by_name(stages)
    stage_by_pk = {stage.pk: stage for stage in stages}
    items = ChecklistItem.objects.of_production(production).select_related("assignee")
    if lock:
        items = items.select_for_update(of=("self",))
    items = {item.pk: item for item in items}
    by_title = {}
    for item in items.values():
        by_title.setdefault((item.stage_id, item.title.strip().lower()), []).append(item)
    crew_here = set(
        Assignment.objects.filter(production=production).values_list("crew_member_id", flat=True)
    )
    directory = _by_name(CrewMember.objects.all())
    ids_seen, targets = {}, {}

    def find_assignee(number, name):
        if not name:
            return None
        found = directory.get(name.lower(), [])
        here = [c for c in found if c.pk in crew_here]
        candidates = here or found
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            names = sorted({c.name for group in directory.values() for c in group})
            raise ValueError(
                f"nobody called '{name}' is in the crew directory{did_you_mean(name, names)}"
            )
        raise ValueError(f"{len(candidates)} crew members are called '{name}'.")

    for number, values in table.rows:
        problems = []
        stage = item = assignee = None
        if values.get("stage"):
            found = stage_names.get(values["stage"].lower(), [])
            if len(found) == 1:
                stage = found[0]
            elif not found:
                hint = did_you_mean(values["stage"], [s.name for s in stages])
                problems.append(
                    Problem(number, "Stage", f"stage '{values['stage']}' does not exist{hint}")
                )
            else:
                problems.append(
                    Problem(number, "Stage", f"{len(found)} stages are called '{values['stage']}'.")
                )
        if "assignee" in values:
            try:
                assignee = find_assignee(number, values["assignee"])
            except ValueError as exc:
                problems.append(Problem(number, "Assignee", str(exc)))
        item_id = values.get("id")
        if item_id is not None:
            if item_id in ids_seen:
                problems.append(
                    Problem(number, "ID", f"ID {item_id} is also on row {ids_seen[item_id]}.")
                )
            ids_seen.setdefault(item_id, number)
            item = items.get(item_id)
            if item is None:
                problems.append(
                    Problem(
                        number,
                        "ID",
                        f"ID {item_id} is not an item of this production "
                        "(it may be another production's, or in the trash). "
                        "Clear the ID to add the row as a new item.",
                    )
                )
        elif stage is not None and values.get("title"):
            same = by_title.get((stage.pk, values["title"].lower()), [])
            if len(same) > 1:
                problems.append(
                    Problem(
                        number,
                        "Item",
                        f"{len(same)} items in '{stage.name}' are called '{values['title']}': "
                        "add the ID column to say which one.",
                    )
                )
            elif same:
                item = same[0]
        if item is not None:
            if item.pk in targets and targets[item.pk] != number:
                problems.append(
                    Problem(number, None, f"changes the same item as row {targets[item.pk]}.")
                )
            targets.setdefault(item.pk, number)
        elif item_id is None and stage is not None and values.get("title"):
            key = ("new", stage.pk, values["title"].lower())
            if key in targets:
                problems.append(
                    Problem(
                        number,
                        None,
                        f"adds the same item as row {targets[key]} (same stage, title).",
                    )
                )
            targets.setdefault(key, number)
        if problems:
            plan.problems.extend(problems)
            continue
        if item is None and item_id is None:
            plan.creates.append(
                {
                    "row": number,
                    "stage": stage,
                    "title": values["title"],
                    "notes": values.get("notes", ""),
                    "required": values.get("required", False),
                    "assignee": assignee,
                    "due_date": values.get("due"),
                    "done": values.get("done", False),
                }
            )
            continue
        if item is None:
            continue
        changes = {}
        if "stage" in values and stage.pk != item.stage_id:
            changes["stage"] = (stage_by_pk.get(item.stage_id), stage)
        for name, key in FIELDS:
            if key in values and getattr(item, name) != values[key]:
                changes[name] = (getattr(item, name), values[key])
        if "assignee" in values and assignee != item.assignee:
            changes["assignee"] = (item.assignee, assignee)
        if changes:
            plan.updates.append(
                {"row": number, "item": item.pk, "title": item.title, "changes": changes}
            )
        else:
            plan.unchanged += 1
    plan.problems.sort(key=lambda p: p.row or 0)
    return plan


# --- A whole production, as JSON ----------------------------------------------


def _expect(problems, path, value, kind, *, required=True, limit=None, choices=None):
    if value is None and not required:
        return None
    if kind is str and value is None:
        problems.append(f"{path}: is missing.")
        return ""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        name = {
            str: "text",
            int: "a number",
            bool: "true or false",
            list: "a list",
            dict: "an object",
        }
        problems.append(f"{path}: should be {name.get(kind, kind.__name__)}.")
        return None
    if kind is str:
        value = clean_text(value, multiline=True).strip()
        if limit and len(value) > limit:
            problems.append(f"{path}: is longer than {limit:,} characters.")
        if choices and value not in choices:
            problems.append(f"{path}: '{value}' is not one of {', '.join(sorted(choices))}.")
    return value


def _date_field(problems, path, value):
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        problems.append(f"{path}: {value!r} is not a date in the form YYYY-MM-DD.")
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{path}: '{value}' is not a real date.")
        return None


def _datetime_field(problems, path, value):
    if value in (None, ""):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        problems.append(f"{path}: {value!r} is not a date and time with a zone (ISO 8601).")
        return None
    return parsed


def read_production_document(name, data):
    """The checked content of a production JSON file: a dict ready for
    services.import_production(), or FileRefused listing every problem."""
    if not (name or "").lower().endswith(".json"):
        raise FileRefused("Only a .json file exported from BTS Tracker can be imported here.")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileRefused("The file is not UTF-8 text, so it is not our JSON export.") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise FileRefused(f"The file is not valid JSON{where}.") from None
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
        raise FileRefused(
            f"The file is JSON but not a BTS Tracker production (its format is not {JSON_FORMAT})."
        )
    if doc.get("version") != JSON_VERSION:
        raise FileRefused(
            f"The file is version {doc.get('version')!r} of the format; "
            f"this BTS Tracker reads version {JSON_VERSION}."
        )
    problems = []
    p = doc.get("production")
    if not isinstance(p, dict):
        raise FileRefused("The file has no production object.")
    production = {
        "title": _expect(problems, "production.title", p.get("title"), str, limit=200),
        "kind": _expect(
            problems, "production.kind", p.get("kind"), str, choices=set(Production.Kind.values)
        ),
        "artist": _expect(problems, "production.artist", p.get("artist") or "", str, limit=200),
        "venue": _expect(problems, "production.venue", p.get("venue") or "", str, limit=200),
        "start_date": _date_field(problems, "production.start_date", p.get("start_date")),
        "end_date": _date_field(problems, "production.end_date", p.get("end_date")),
        "status": _expect(
            problems,
            "production.status",
            p.get("status") or Production.Status.PLANNING,
            str,
            choices=set(Production.Status.values),
        ),
        "description": _expect(
            problems, "production.description", p.get("description") or "", str, limit=5000
        ),
    }
    if not production["title"]:
        problems.append("production.title: is empty.")
    start, end = production["start_date"], production["end_date"]
    if start and end and end < start:
        problems.append("production.end_date: is before the start date.")

    roles = {name.lower(): pk for pk, name in CrewRole.objects.values_list("pk", Lower("name"))}
    crew, crew_ids = [], set()
    for n, c in enumerate(_expect(problems, "crew", doc.get("crew", []), list) or []):
        path = f"crew[{n}]"
        if not isinstance(c, dict):
            problems.append(f"{path}: should be an object.")
            continue
        ref = _expect(problems, f"{path}.id", c.get("id"), int)
        if ref in crew_ids:
            problems.append(f"{path}.id: {ref} is used twice.")
        crew_ids.add(ref)
        role = c.get("default_role")
        if role and role.lower() not in roles:
            problems.append(f"{path}.default_role: there is no crew role called '{role}'.")
        crew.append(
            {
                "ref": ref,
                "name": _expect(problems, f"{path}.name", c.get("name"), str, limit=200),
                "email": _expect(problems, f"{path}.email", c.get("email") or "", str, limit=254),
                "phone": _expect(problems, f"{path}.phone", c.get("phone") or "", str, limit=50),
                "default_role": roles.get((role or "").lower()),
            }
        )
    assignments = []
    for n, a in enumerate(_expect(problems, "assignments", doc.get("assignments", []), list) or []):
        path = f"assignments[{n}]"
        if not isinstance(a, dict):
            problems.append(f"{path}: should be an object.")
            continue
        if a.get("crew") not in crew_ids:
            problems.append(f"{path}.crew: {a.get('crew')!r} is not the id of anyone in crew.")
        role = a.get("role")
        if not isinstance(role, str) or role.lower() not in roles:
            problems.append(f"{path}.role: there is no crew role called {role!r}.")
        else:
            assignments.append({"crew": a.get("crew"), "role": roles[role.lower()]})

    stages = []
    raw_stages = _expect(problems, "stages", doc.get("stages", []), list) or []
    item_count = 0
    for n, s in enumerate(raw_stages):
        path = f"stages[{n}]"
        if not isinstance(s, dict):
            problems.append(f"{path}: should be an object.")
            continue
        stage = {
            "name": _expect(problems, f"{path}.name", s.get("name"), str, limit=200),
            "phase": _expect(
                problems, f"{path}.phase", s.get("phase"), str, choices=set(Stage.Phase.values)
            ),
            "status": _expect(
                problems, f"{path}.status", s.get("status"), str, choices=set(Stage.Status.values)
            ),
            "status_manual": bool(s.get("status_manual", False)),
            "start_date": _date_field(problems, f"{path}.start_date", s.get("start_date")),
            "due_date": _date_field(problems, f"{path}.due_date", s.get("due_date")),
            "notes": _expect(problems, f"{path}.notes", s.get("notes") or "", str, limit=5000),
            "items": [],
        }
        if not stage["name"]:
            problems.append(f"{path}.name: is empty.")
        for m, i in enumerate(_expect(problems, f"{path}.items", s.get("items", []), list) or []):
            ipath = f"{path}.items[{m}]"
            item_count += 1
            if not isinstance(i, dict):
                problems.append(f"{ipath}: should be an object.")
                continue
            if i.get("assignee") is not None and i.get("assignee") not in crew_ids:
                problems.append(
                    f"{ipath}.assignee: {i.get('assignee')!r} is not the id of anyone in crew."
                )
            done = _expect(problems, f"{ipath}.done", i.get("done", False), bool)
            done_at = _datetime_field(problems, f"{ipath}.done_at", i.get("done_at"))
            if done and done_at is None:
                problems.append(f"{ipath}.done_at: a done item needs the time it was done.")
            comments = []
            for k, c in enumerate(
                _expect(problems, f"{ipath}.comments", i.get("comments", []), list) or []
            ):
                cpath = f"{ipath}.comments[{k}]"
                if not isinstance(c, dict):
                    problems.append(f"{cpath}: should be an object.")
                    continue
                comments.append(
                    {
                        "author": c.get("author") if isinstance(c.get("author"), str) else None,
                        "body": _expect(problems, f"{cpath}.body", c.get("body"), str, limit=5000),
                        "created_at": _datetime_field(
                            problems, f"{cpath}.created_at", c.get("created_at")
                        ),
                    }
                )
            item = {
                "title": _expect(problems, f"{ipath}.title", i.get("title"), str, limit=300),
                "notes": _expect(problems, f"{ipath}.notes", i.get("notes") or "", str, limit=5000),
                "assignee": i.get("assignee"),
                "due_date": _date_field(problems, f"{ipath}.due_date", i.get("due_date")),
                "required": bool(i.get("required", False)),
                "done": bool(done),
                "done_at": done_at if done else None,
                "done_by": i.get("done_by") if isinstance(i.get("done_by"), str) else None,
                "comments": comments,
            }
            if not item["title"]:
                problems.append(f"{ipath}.title: is empty.")
            stage["items"].append(item)
        stages.append(stage)
    if item_count > 20 * MAX_ROWS:
        problems.append(f"The file has {item_count:,} items; at most {20 * MAX_ROWS:,} import.")
    if problems:
        shown = problems[:50]
        more = f" …and {len(problems) - 50} more." if len(problems) > 50 else ""
        raise FileRefused("The file has problems: " + " ".join(shown) + more)
    return {
        "production": production,
        "crew": crew,
        "assignments": assignments,
        "stages": stages,
    }
