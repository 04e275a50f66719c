"""The dates the app stores: 1900-01-01 to 2200-12-31, a range every export
(CSV, Excel, PDF, iCalendar, JSON) and every page can write, with room to add
a day or shift a zone without leaving the calendar Python knows (years 1 to
9999). Model date fields carry `validate_calendar_date`, so forms and the
admin refuse a date outside it; imports, cloning and templates check with
`in_calendar_range`."""

import datetime

from django.core.exceptions import ValidationError

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2200, 12, 31)
OUT_OF_RANGE = (
    f"Pick a date from {EARLIEST_DATE:%Y} to {LATEST_DATE:%Y} "
    f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})."
)


def in_calendar_range(value):
    """Whether a date, or an aware date and time (in UTC), is in the range."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                return False
        value = value.date()
    return EARLIEST_DATE <= value <= LATEST_DATE


def validate_calendar_date(value):
    """A model field validator: the date (or date and time) is in the range."""
    if value is not None and not in_calendar_range(value):
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")
