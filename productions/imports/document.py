"""Checking a production's JSON document before it is recreated.

DOCUMENT declares what every path of the file must hold (imports/schema.py:
types, lengths from the models' fields, choices, dates in the range the app
stores); read_production_document() checks the file against it, then the
references between its parts (crew ids, role names), and lists every problem
by path. Nothing is written here: a file with any problem is refused whole.
"""

import json

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from .. import fields
from ..exports import JSON_FORMAT, JSON_VERSION
from ..fields import CREW, DATE, FLAG, LONG_TEXT, MOMENT, TEXT, USER, model_field
from ..models import ChecklistItem, Comment, CrewMember, CrewRole, Production, Stage
from .files import MAX_ROWS, FileRefused
from .schema import Day, Flag, ListOf, Moment, Obj, Text, Whole, check, shown, text_of

MAX_ITEMS = 20 * MAX_ROWS
MAX_PROBLEMS_SHOWN = 50

CREW_ID = Whole(what="a crew id (a whole number)")
USERNAME = Text(
    get_user_model()._meta.get_field("username").max_length,
    null=True,
    default=None,
    what="a username",
)

COMMENT = Obj(
    {
        "author": USERNAME,
        "body": text_of(Comment, "body", required=True, multiline=True),
        "created_at": Moment(),
    }
)


def _item_schema(f):
    """The schema of an item's field in the document, from its kind (fields.py)
    and its model field's limits."""
    if f.kind in (TEXT, LONG_TEXT):
        blank = model_field(f).blank
        return text_of(
            ChecklistItem, f.name, required=not blank, null=blank, multiline=f.kind == LONG_TEXT
        )
    return {
        FLAG: Flag(),
        DATE: Day(),
        MOMENT: Moment(),
        USER: USERNAME,
        CREW: Whole(null=True, what="a crew id (a whole number)"),
    }[f.kind]


ITEM = Obj(
    {
        **{f.name: _item_schema(f) for f in fields.DOCUMENT},
        "comments": ListOf(COMMENT, max_items=1000),
    }
)
STAGE = Obj(
    {
        "name": text_of(Stage, "name", required=True),
        "phase": text_of(Stage, "phase", required=True, choices=frozenset(Stage.Phase.values)),
        "status": text_of(Stage, "status", required=True, choices=frozenset(Stage.Status.values)),
        "status_manual": Flag(),
        "start_date": Day(),
        "due_date": Day(),
        "notes": text_of(Stage, "notes", multiline=True, null=True),
        "items": ListOf(ITEM, max_items=MAX_ITEMS),
    }
)
DOCUMENT = Obj(
    {
        "production": Obj(
            {
                "title": text_of(Production, "title", required=True),
                "kind": text_of(
                    Production, "kind", required=True, choices=frozenset(Production.Kind.values)
                ),
                "artist": text_of(Production, "artist", null=True),
                "venue": text_of(Production, "venue", null=True),
                "start_date": Day(),
                "end_date": Day(),
                "status": text_of(
                    Production,
                    "status",
                    null=True,
                    default=Production.Status.PLANNING,
                    choices=frozenset(Production.Status.values),
                ),
                "description": text_of(Production, "description", multiline=True, null=True),
            }
        ),
        "crew": ListOf(
            Obj(
                {
                    "id": CREW_ID,
                    "name": text_of(CrewMember, "name", required=True),
                    "email": text_of(CrewMember, "email", null=True),
                    "phone": text_of(CrewMember, "phone", null=True),
                    "default_role": text_of(
                        CrewRole, "name", null=True, default=None, what="a crew role's name"
                    ),
                }
            ),
            max_items=10_000,
        ),
        "assignments": ListOf(
            Obj(
                {
                    "crew": CREW_ID,
                    "role": text_of(CrewRole, "name", required=True, what="a crew role's name"),
                }
            ),
            max_items=20_000,
        ),
        "stages": ListOf(STAGE, max_items=2_000),
    }
)


def _load(name, data):
    if not (name or "").lower().endswith(".json"):
        raise FileRefused("Only a .json file exported from BTS Tracker can be imported here.")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileRefused("The file is not UTF-8 text, so it is not our JSON export.") from None
    except json.JSONDecodeError as exc:
        raise FileRefused(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits, or nested too deep
        raise FileRefused(
            "The file is not JSON this app can read (too deep, or too large a number)."
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
        raise FileRefused(
            f"The file is JSON but not a BTS Tracker production (its format is not {JSON_FORMAT})."
        )
    version = doc.get("version")
    if type(version) is not int or version != JSON_VERSION:
        raise FileRefused(
            f"The file is version {shown(version)} of the format; "
            f"this BTS Tracker reads version {JSON_VERSION}."
        )
    if not isinstance(doc.get("production"), dict):
        raise FileRefused("The file has no production object.")
    return doc


def _references(doc, problems):
    """The checks between parts of the document (parts the schema refused
    are None, and skipped); role names become ids."""
    roles = {name: pk for pk, name in CrewRole.objects.values_list("pk", Lower("name"))}
    production = doc["production"]
    start, end = production["start_date"], production["end_date"]
    if start and end and end < start:
        problems.append("production.end_date: is before the start date.")

    crew_ids = set()
    for n, person in enumerate(doc["crew"]):
        if person is None:
            continue
        if person["id"] is not None and person["id"] in crew_ids:
            problems.append(f"crew[{n}].id: {person['id']} is used twice.")
        crew_ids.add(person["id"])
        role = person["default_role"]
        if role and role.lower() not in roles:
            problems.append(f"crew[{n}].default_role: there is no crew role called '{role}'.")
        person["ref"] = person.pop("id")
        person["default_role"] = roles.get((role or "").lower())
    for n, a in enumerate(doc["assignments"]):
        if a is None:
            continue
        if a["crew"] is not None and a["crew"] not in crew_ids:
            problems.append(f"assignments[{n}].crew: {a['crew']} is not the id of anyone in crew.")
        if a["role"] and a["role"].lower() not in roles:
            problems.append(f"assignments[{n}].role: there is no crew role called '{a['role']}'.")
        a["role"] = roles.get(a["role"].lower())

    for n, stage in enumerate(doc["stages"]):
        if stage is None:
            continue
        path = f"stages[{n}]"
        if stage["start_date"] and stage["due_date"] and stage["due_date"] < stage["start_date"]:
            problems.append(f"{path}.due_date: is before the start date.")
        for m, item in enumerate(stage["items"]):
            if item is None:
                continue
            ipath = f"{path}.items[{m}]"
            if item["assignee"] is not None and item["assignee"] not in crew_ids:
                problems.append(
                    f"{ipath}.assignee: {item['assignee']} is not the id of anyone in crew."
                )
            if item["done"] and item["done_at"] is None:
                problems.append(f"{ipath}.done_at: a done item needs the time it was done.")
            if not item["done"]:
                item["done_at"] = None


def read_production_document(name, data):
    """The checked content of a production JSON file: a dict ready for
    services.import_production(), or FileRefused listing every problem."""
    raw = _load(name, data)
    doc, problems = check(DOCUMENT, raw)
    items = sum(len(stage["items"]) for stage in doc["stages"] if stage is not None)
    if items > MAX_ITEMS:
        problems.append(f"The file has {items:,} items; at most {MAX_ITEMS:,} import.")
    else:
        _references(doc, problems)
    if problems:
        shown_problems = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - MAX_PROBLEMS_SHOWN
        raise FileRefused(
            "The file has problems: "
            + " ".join(shown_problems)
            + (f" …and {more} more." if more > 0 else "")
        )
    return doc
