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

from .document import read_production_document
from .files import (
    EDITABLE,
    ISO_DATE,
    LABELS,
    MAX_BYTES,
    MAX_JSON_BYTES,
    MAX_ROWS,
    NO,
    READ_ONLY,
    REQUIRED_COLUMNS,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNPACKED,
    YES,
    FileRefused,
    Problem,
    Table,
    cell_text,
    column_name,
    csv_cells,
    did_you_mean,
    file_kind,
    header_key,
    parse_date,
    plural,
    read_header,
    read_row,
    read_table,
    read_upload,
    xlsx_cells,
    yes_no,
)
from .plan import FIELDS, Plan, make_plan

__all__ = [
    "EDITABLE",
    "FIELDS",
    "ISO_DATE",
    "LABELS",
    "MAX_BYTES",
    "MAX_JSON_BYTES",
    "MAX_ROWS",
    "NO",
    "READ_ONLY",
    "REQUIRED_COLUMNS",
    "XLSX_MAX_MEMBERS",
    "XLSX_MAX_RATIO",
    "XLSX_MAX_UNPACKED",
    "YES",
    "FileRefused",
    "Plan",
    "Problem",
    "Table",
    "cell_text",
    "column_name",
    "csv_cells",
    "did_you_mean",
    "file_kind",
    "header_key",
    "make_plan",
    "parse_date",
    "plural",
    "read_header",
    "read_production_document",
    "read_row",
    "read_table",
    "read_upload",
    "xlsx_cells",
    "yes_no",
]
