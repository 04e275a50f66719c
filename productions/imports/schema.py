"""A small declarative schema for JSON documents: what each path must hold.

A schema is a tree of the types below; `check(schema, value)` returns the
converted value and every problem, each naming its path
(`stages[2].items[5].assignee: expected a crew id (a whole number) or null`).
Nothing is looked up in the database here: references between parts of a
document (a crew id used by an item) are checked by the reader after the
shape is right.

Every string is refused if it holds a NUL character or a lone surrogate
(JSON's "\\ud800" escape decodes to one; it cannot be stored or even logged
as UTF-8); the others pass through clean_text() like anything typed into a
form. Dates and times must fall in EARLIEST_DATE..LATEST_DATE, the range
every export can write.
"""

import datetime
import re
from dataclasses import dataclass, field

from ..models import EARLIEST_DATE, LATEST_DATE, in_calendar_range
from ..textclean import clean_text

MISSING = object()
_SURROGATE = re.compile("[\ud800-\udfff]")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
RANGE = f"from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"


def shown(value, limit=40):
    """A value as a message may quote it: short, and printable whatever it holds."""
    text = repr(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


class Problems(list):
    def add(self, path, message):
        self.append(f"{path}: {message}")


@dataclass(frozen=True)
class Text:
    """A string of at most `max_length` characters (after cleaning and stripping).

    `required`: must not be empty. `null`: null is taken, as `default`.
    `choices`: one of these values."""

    max_length: int
    required: bool = False
    multiline: bool = False
    null: bool = False
    choices: frozenset = None
    default: object = ""
    what: str = "text"

    def check(self, value, path, problems):
        if value is MISSING or (value is None and self.null):
            if self.required:
                problems.add(path, "is missing.")
            return self.default
        if not isinstance(value, str):
            problems.add(path, f"expected {self.what}, not {_type_name(value)}.")
            return self.default
        if "\x00" in value:
            problems.add(path, "contains a NUL character.")
            return self.default
        if _SURROGATE.search(value):
            problems.add(path, "contains a lone surrogate (not valid Unicode text).")
            return self.default
        value = clean_text(value, multiline=self.multiline).strip()
        if len(value) > self.max_length:
            problems.add(path, f"is longer than {self.max_length:,} characters.")
        elif self.required and not value:
            problems.add(path, "is empty.")
        elif self.choices is not None and value not in self.choices:
            problems.add(path, f"{shown(value)} is not one of {', '.join(sorted(self.choices))}.")
        return value


@dataclass(frozen=True)
class Whole:
    """A whole number (not true/false, not 1.0) in min..max; null if `null`."""

    min: int = -(2**63)
    max: int = 2**63 - 1
    null: bool = False
    what: str = "a whole number"

    def check(self, value, path, problems):
        if value is MISSING or (value is None and self.null):
            if not self.null:
                problems.add(path, "is missing.")
            return None
        if type(value) is not int:
            problems.add(path, f"expected {self.what}{' or null' if self.null else ''}.")
            return None
        if not self.min <= value <= self.max:
            problems.add(path, f"is out of range ({self.min} to {self.max}).")
            return None
        return value


@dataclass(frozen=True)
class Flag:
    """true or false; `default` when missing."""

    default: bool = False

    def check(self, value, path, problems):
        if value is MISSING:
            return self.default
        if type(value) is not bool:
            problems.add(path, f"expected true or false, not {_type_name(value)}.")
            return self.default
        return value


@dataclass(frozen=True)
class Day:
    """A date "YYYY-MM-DD" in the calendar range, or null (or "")."""

    def check(self, value, path, problems):
        if value is MISSING or value in (None, ""):
            return None
        if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
            problems.add(path, f"{shown(value)} is not a date in the form YYYY-MM-DD.")
            return None
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            problems.add(path, f"{shown(value)} is not a real date.")
            return None
        if not in_calendar_range(day):
            problems.add(path, f"{value} is out of range: expected a date {RANGE}.")
            return None
        return day


@dataclass(frozen=True)
class Moment:
    """A date and time with a zone (ISO 8601) in the calendar range, or null."""

    def check(self, value, path, problems):
        if value is MISSING or value in (None, ""):
            return None
        parsed = None
        if isinstance(value, str) and len(value) <= 40:
            try:
                parsed = datetime.datetime.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None or parsed.tzinfo is None or parsed.utcoffset() is None:
            problems.add(path, f"{shown(value)} is not a date and time with a zone (ISO 8601).")
            return None
        if not in_calendar_range(parsed):
            problems.add(path, f"{shown(value)} is out of range: expected a time {RANGE}.")
            return None
        return parsed


@dataclass(frozen=True)
class ListOf:
    """A list of `of`, at most `max_items` long."""

    of: object
    max_items: int

    def check(self, value, path, problems):
        if value is MISSING or value is None:
            return []
        if not isinstance(value, list):
            problems.add(path, f"expected a list, not {_type_name(value)}.")
            return []
        if len(value) > self.max_items:
            problems.add(path, f"has {len(value):,} entries; at most {self.max_items:,} import.")
            return []
        return [self.of.check(v, f"{path}[{n}]", problems) for n, v in enumerate(value)]


@dataclass(frozen=True)
class Obj:
    """An object with these keys (each checked by its schema; a missing key is
    its schema's to judge). Other keys (the export's ids, slugs) are ignored."""

    fields: dict = field(default_factory=dict)

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            problems.add(path, f"expected an object, not {_type_name(value)}.")
            return None
        prefix = f"{path}." if path else ""
        return {
            key: schema.check(value.get(key, MISSING), f"{prefix}{key}", problems)
            for key, schema in self.fields.items()
        }


def check(schema, value):
    """(the converted value, [problem]) for `value` against `schema`."""
    problems = Problems()
    result = schema.check(value, "", problems)
    return result, list(problems)


def text_of(model, name, **options):
    """Text limited as the model's field is (its max_length)."""
    return Text(model._meta.get_field(name).max_length, **options)
