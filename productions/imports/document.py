"""Checking a production's JSON document before it is recreated."""

import datetime
import json

from django.db.models.functions import Lower

from ..exports import JSON_FORMAT, JSON_VERSION
from ..models import CrewRole, Production, Stage
from ..textclean import clean_text
from .files import ISO_DATE, MAX_ROWS, FileRefused

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
