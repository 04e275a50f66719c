"""The helpers that write markup in Python: dates as Django formats them, select options."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from productions.rows import day_month, day_month_time, due_label


@pytest.mark.parametrize("language", ["en-us", "de", "fr"])
def test_day_month_is_django_s_j_m_in_every_month_and_language(language):
    with translation.override(language):
        for month in range(1, 13):
            day = datetime.date(2026, month, month + 9)
            assert day_month(day) == date_format(day, "j M")
            assert day_month(day, year=True) == date_format(day, "j M Y")


def test_done_times_are_in_the_user_s_time_zone():
    moment = datetime.datetime(2026, 12, 31, 23, 5, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert day_month_time(moment) == "1 Jan, 08:05"
        assert day_month_time(moment) == date_format(timezone.localtime(moment), "j M, H:i")


def test_due_labels_name_the_date_and_what_is_overdue():
    today = timezone.localdate()
    assert "due today" in due_label(today)
    assert f"due {day_month(today - datetime.timedelta(days=2))} · 2 days overdue" in due_label(
        today - datetime.timedelta(days=2)
    )
    next_year = today.replace(year=today.year + 1, day=1)
    assert f"due {date_format(next_year, 'j M Y')}</span>" in due_label(next_year)


def test_options_select_by_value_as_text_and_escape_labels():
    from productions.templatetags.ui import options

    html = options([(1, "Lia <Sound>"), ("none", "Nobody")], "1")
    assert html == (
        '<option value="1" selected>Lia &lt;Sound&gt;</option><option value="none">Nobody</option>'
    )
    assert " selected" not in options([("", "Anyone"), (2, "Bo")], None)
    assert options([("", "Choose…")], "") == '<option value="" selected>Choose…</option>'
