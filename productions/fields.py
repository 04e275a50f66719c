"""The fields of a checklist item, declared once.

ITEM_FIELDS says, for each field of ChecklistItem a user deals with, what it
is called, what kind of value it holds and where it goes: its export column
(CSV, Excel, PDF and print, calendar), whether a CSV/Excel import reads it,
whether the item edit form, the JSON document, cloning and saved templates
carry it. Lengths, ranges and blank-ness are the model field's own: imported
rows go through the model's form (forms.item_import_form()), the JSON schema
takes its limits from the model (imports/document.py).

Read by: exports/rows.py (columns, rows), exports/spreadsheet.py (widths),
exports/printing.py and the print template, exports/calendar.py (details),
exports/document.py and imports/document.py (the JSON document),
imports/files.py and imports/plan.py and services/imports.py (CSV/Excel),
services/cloning.py, models/templates.py and services/templates.py, and
forms.ItemForm.

Adding a plain field (text, a flag, a date) to checklist items is: the model
field, its line here, a migration, and docs/exports.md.
"""

from dataclasses import dataclass

# Kinds of value: how each is read from the database, written to a file, read back.
TEXT = "text"  # one line
LONG_TEXT = "long_text"  # several lines (notes)
FLAG = "flag"  # yes / no
DATE = "date"
CREW = "crew"  # a CrewMember (by name in files, by crew id in the JSON document)
ROLE = "role"  # the assignee's roles on the production: exported, never stored
USER = "user"  # a user, by username
MOMENT = "moment"  # a date and time

PLAIN = {TEXT, LONG_TEXT, FLAG, DATE}  # stored as they are read, no lookup


@dataclass(frozen=True)
class ItemField:
    name: str  # the ChecklistItem field (ROLE: a name for the derived column)
    label: str  # column header, detail label
    kind: str
    column: str  # the export column's key (imports read headers by key or label)
    width: int = 14  # Excel column width
    imported: bool = False  # a CSV/Excel import reads the column (else it is read-only there)
    form: bool = False  # in the item edit form
    document: bool = False  # in the JSON document (export and import)
    cloned: bool = False  # copied when a production is cloned (dates shifted)
    template: str = ""  # its key in a saved template's items ("" : not kept)
    detail: bool = False  # a "Label: value" line in print/PDF and calendar events

    @property
    def plain(self):
        return self.kind in PLAIN


ITEM_FIELDS = [
    ItemField(
        "title",
        "Item",
        TEXT,
        "title",
        width=44,
        imported=True,
        form=True,
        document=True,
        cloned=True,
        template="title",
    ),
    ItemField(
        "notes",
        "Notes",
        LONG_TEXT,
        "notes",
        width=44,
        imported=True,
        form=True,
        document=True,
        cloned=True,
        template="notes",
    ),
    ItemField(
        "location",
        "Location",
        TEXT,
        "location",
        width=24,
        imported=True,
        form=True,
        document=True,
        cloned=True,
        template="location",
        detail=True,
    ),
    ItemField(
        "required",
        "Required",
        FLAG,
        "required",
        width=10,
        imported=True,
        form=True,
        document=True,
        cloned=True,
        template="required",
    ),
    ItemField(
        "assignee",
        "Assignee",
        CREW,
        "assignee",
        width=22,
        imported=True,
        form=True,
        document=True,
        cloned=True,
    ),
    ItemField("role", "Role", ROLE, "role", width=20),
    ItemField(
        "due_date",
        "Due",
        DATE,
        "due",
        width=12,
        imported=True,
        form=True,
        document=True,
        cloned=True,
        template="due_offset",
    ),
    ItemField("done", "Done", FLAG, "done", width=8, imported=True, document=True),
    ItemField("done_by", "Done by", USER, "done_by", width=14, document=True),
    ItemField("done_at", "Done at", MOMENT, "done_at", width=18, document=True),
]

BY_COLUMN = {f.column: f for f in ITEM_FIELDS}
IMPORTED = [f for f in ITEM_FIELDS if f.imported]
FORM = [f.name for f in ITEM_FIELDS if f.form]
DOCUMENT = [f for f in ITEM_FIELDS if f.document]
CLONED = [f for f in ITEM_FIELDS if f.cloned]
TEMPLATE = [f for f in ITEM_FIELDS if f.template]
DETAILS = [f for f in ITEM_FIELDS if f.detail]


def model_field(f):
    from .models import ChecklistItem

    return ChecklistItem._meta.get_field(f.name)


def default(f):
    """The value the model gives the field when nothing says otherwise."""
    return model_field(f).get_default()


def lookups(f):
    """The ORM lookups an export row reads for the field (a ROLE reads the
    assignee's through the CREW field, so none of its own)."""
    if f.kind == CREW:
        return [f"{f.name}_id", f"{f.name}__name", f"{f.name}__default_role__name"]
    if f.kind == USER:
        return [f"{f.name}__username"]
    if f.kind == ROLE:
        return []
    return [f.name]
