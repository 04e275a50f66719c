"""The formatting filters and tags of templatetags/ui.py: dates as Django formats them, options."""

import datetime

from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format


def render(source, **context):
    return Template("{% load ui %}" + source).render(Context(context))


def test_due_labels_name_the_date_and_what_is_overdue():
    today = timezone.localdate()
    assert "due today" in render("{% due_label day %}", day=today)
    two_days_ago = today - datetime.timedelta(days=2)
    assert f"due {date_format(two_days_ago, 'j M')} · 2 days overdue" in render(
        "{% due_label day %}", day=two_days_ago
    )
    assert "1 day overdue" in render("{% due_label day %}", day=today - datetime.timedelta(days=1))
    next_year = today.replace(year=today.year + 1, day=1)
    assert f"due {date_format(next_year, 'j M Y')}</span>" in render(
        "{% due_label day %}", day=next_year
    )


def test_a_done_item_s_date_is_not_overdue():
    html = render("{% due_label day True %}", day=timezone.localdate() - datetime.timedelta(9))
    assert "overdue" not in html
    assert 'class="due"' in html


def test_due_labels_escape_nothing_they_did_not_write():
    assert render("{% due_label None %}") == ""


def test_options_select_by_value_as_text_and_escape_labels():
    html = render(
        "{% options choices current %}",
        choices=[(1, "Lia <Sound>"), ("none", "Nobody")],
        current="1",
    )
    assert html == (
        '<option value="1" selected>Lia &lt;Sound&gt;</option><option value="none">Nobody</option>'
    )
    assert " selected" not in render("{% options choices %}", choices=[("", "Anyone"), (2, "Bo")])
    assert render("{% options choices '' %}", choices=[("", "Choose…")]) == (
        '<option value="" selected>Choose…</option>'
    )
