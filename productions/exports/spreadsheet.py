"""Excel (.xlsx) in openpyxl's write-only mode."""

import datetime
import re
import tempfile
from collections import defaultdict

from ..fields import ITEM_FIELDS
from .rows import (
    KEYS,
    csv_cell,
    headers,
)

XLSX_WIDTHS = {
    "id": 8,
    "production": 24,
    "stage": 24,
    "phase": 16,
    "stage_status": 14,
    "stage_start": 12,
    "stage_due": 12,
    **{f.column: f.width for f in ITEM_FIELDS},
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
