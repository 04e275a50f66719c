"""Reading an uploaded CSV or Excel file into a Table of checked rows."""

import csv
import datetime
import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field

from ..exports import COLUMNS, FORMULA_STARTS, STAGE_COLUMNS
from ..fields import BY_COLUMN, CREW, DATE, FLAG, IMPORTED, ITEM_FIELDS, default
from ..forms import item_import_form
from ..models import CrewMember, Stage
from ..models.dates import OUT_OF_RANGE, in_calendar_range
from ..textclean import clean_text

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
EDITABLE = ["stage", *(f.column for f in IMPORTED)]
# Exported for reading; an import ignores them (stage details are a manager's
# to change on the production page, "done by/at" follow from "Done", the
# role from the assignee).
READ_ONLY = [
    *(key for key, _ in STAGE_COLUMNS if key not in ("id", "stage")),
    *(f.column for f in ITEM_FIELDS if not f.imported),
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
        value = value.date()
    if isinstance(value, datetime.date):
        value = value.isoformat()
    text = cell_text(value).strip()
    if not text:
        return None
    if " " in text and text.endswith("00:00:00"):
        text = text.split(" ")[0]
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD (e.g. 2027-03-10).")
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date.") from None
    if not in_calendar_range(day):
        raise ValueError(f"'{text}' is out of range: {OUT_OF_RANGE}")
    return day


def read_row(number, keys, cells):
    """({key: value} for the columns an import uses, [Problem]) for one row.

    The cells are read by kind (yes/no, dates as text or Excel dates, text
    without the formula quote); then the item's fields go through the model's
    own form (forms.item_import_form()), so its limits are the model's."""
    values, problems, data = {}, [], {}

    cells = [*cells, *([None] * (len(keys) - len(cells)))]

    def name(key, cell, limit):
        value = clean_text(cell_text(cell), multiline=False).strip()
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
            elif key == "stage":
                values[key] = name(key, cell, Stage._meta.get_field("name").max_length)
            elif BY_COLUMN[key].kind == CREW:
                values[key] = name(key, cell, CrewMember._meta.get_field("name").max_length)
            elif BY_COLUMN[key].kind == FLAG:
                data[BY_COLUMN[key].name] = yes_no(cell_text(cell))
            elif BY_COLUMN[key].kind == DATE:
                data[BY_COLUMN[key].name] = parse_date(cell)
            else:
                data[BY_COLUMN[key].name] = cell_text(cell)
        except ValueError as exc:
            problems.append(Problem(number, LABELS[key], str(exc)))
    if data:
        form = item_import_form(tuple(sorted(data)))(data)
        form.is_valid()
        for field_name, errors in form.errors.as_data().items():
            f = next(f for f in IMPORTED if f.name == field_name)
            for error in errors:
                if error.code == "required":
                    message = "is empty."
                elif error.code == "max_length":
                    message = f"is longer than {error.params['limit_value']:,} characters."
                else:
                    message = " ".join(error.messages)
                problems.append(Problem(number, f.label, message))
        for f in IMPORTED:
            if f.name in data:
                # A refused value leaves the model's default: the file is refused anyway.
                values[f.column] = form.cleaned_data.get(f.name, default(f))
    if "stage" in values and not values["stage"]:
        problems.append(Problem(number, LABELS["stage"], "is empty."))
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
