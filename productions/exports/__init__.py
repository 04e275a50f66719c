"""Exports of a production's checklist: one source of rows, one writer per format.

`export_rows()` yields the checklist rows of a production under a `Filters`
(a stage, an assignee, open items only), in the page's order, with the same
columns for every format. The writers below turn those rows into CSV, Excel,
PDF (through the print template), iCalendar; `production_document()` is the
whole production as versioned JSON (see docs/exports.md).

Who may export is the caller's business: views look the production up through
access.py (any member may export, viewers included) before calling these.
Every text cell a spreadsheet could run as a formula is neutralised by
`neutralise()`, and productions.imports undoes exactly that on the way back in.
"""

from .calendar import UID_DOMAIN, calendar_bytes
from .document import JSON_FORMAT, JSON_VERSION, production_document
from .printing import (
    PRINT_CSS,
    PRINT_TEMPLATE,
    StageGroup,
    grouped_by_stage,
    pdf_bytes,
    print_context,
)
from .rows import (
    COLUMNS,
    FORMULA_STARTS,
    KEYS,
    ROW_FIELDS,
    STAGE_COLUMNS,
    Filters,
    Row,
    csv_cell,
    csv_chunks,
    export_rows,
    export_zone,
    headers,
    neutralise,
    roles_by_crew,
    zone_name,
)
from .spreadsheet import (
    ALL_ITEMS,
    DATE_FORMAT,
    DATETIME_FORMAT,
    XLSX_WIDTHS,
    column_letter,
    sheet_title,
    write_xlsx,
    xlsx_file,
)

__all__ = [
    "ALL_ITEMS",
    "COLUMNS",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "FORMULA_STARTS",
    "JSON_FORMAT",
    "JSON_VERSION",
    "KEYS",
    "PRINT_CSS",
    "PRINT_TEMPLATE",
    "ROW_FIELDS",
    "STAGE_COLUMNS",
    "UID_DOMAIN",
    "XLSX_WIDTHS",
    "Filters",
    "Row",
    "StageGroup",
    "calendar_bytes",
    "column_letter",
    "csv_cell",
    "csv_chunks",
    "export_rows",
    "export_zone",
    "grouped_by_stage",
    "headers",
    "neutralise",
    "pdf_bytes",
    "print_context",
    "production_document",
    "roles_by_crew",
    "sheet_title",
    "write_xlsx",
    "xlsx_file",
    "zone_name",
]
