"""The print view's context and the PDF made from it with WeasyPrint."""

import datetime
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from .rows import (
    zone_name,
)

PRINT_TEMPLATE = "productions/checklist_print.html"
PRINT_CSS = "css/print.css"


@dataclass
class StageGroup:
    id: int
    name: str
    phase: str
    status: str
    start: datetime.date | None
    due: datetime.date | None
    rows: list


def grouped_by_stage(rows):
    """Rows (already in stage order) as one StageGroup per stage."""
    groups = []
    for row in rows:
        if not groups or groups[-1].id != row.stage_id:
            groups.append(
                StageGroup(
                    row.stage_id,
                    row.stage,
                    row.phase,
                    row.stage_status,
                    row.stage_start,
                    row.stage_due,
                    [],
                )
            )
        groups[-1].rows.append(row)
    return groups


def print_context(production, filters, zone, rows):
    groups = grouped_by_stage(rows)
    return {
        "production": production,
        "filters": filters,
        "groups": groups,
        "item_count": sum(len(group.rows) for group in groups),
        "zone_name": zone_name(zone),
        # Formatted here: the template's date filter would move it to the site's zone.
        "generated_at": f"{timezone.now().astimezone(zone):%Y-%m-%d %H:%M}",
    }


class _NoFetching:
    """A WeasyPrint URL fetcher that fetches nothing: the PDF is made from
    our template and stylesheet alone, never from a URL found in user text."""

    _fail_on_errors = False

    def __call__(self, url, *args, **kwargs):
        raise ValueError(f"Not fetched: {url}")


def pdf_bytes(context, template=PRINT_TEMPLATE, stylesheet=PRINT_CSS):
    """The print template (or `template`), rendered by WeasyPrint with the
    print stylesheet (or `stylesheet`, a static path)."""
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "pdf": True})
    with open(finders.find(stylesheet), encoding="utf-8") as css:
        stylesheet = CSS(string=css.read(), url_fetcher=_NoFetching())
    return HTML(string=html, url_fetcher=_NoFetching()).write_pdf(stylesheets=[stylesheet])


# --- iCalendar --------------------------------------------------------------
