"""The schedule's and call sheet's user text comes back as text (issue 16).

Each payload of tests/xss_payloads.py is written through the schedule's own
forms into every text field it has (a location's name, address, parking
notes and nearest hospital; a day's weather and notes; a call's notes; the
called person's name), tagged with a letter per field, and every schedule
page and fragment must show it escaped, with no markup of the payload alive
in the parsed page.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape

from productions.models import Location, ShootDay
from tests.conftest import HTMX
from tests.factories import CrewRoleFactory
from tests.xss_payloads import FORBIDDEN, PAYLOADS, assert_no_injected_markup, tag

FIELDS = {
    "L": "location name",
    "B": "location address",
    "K": "parking and access",
    "Z": "nearest hospital",
    "F": "day weather",
    "O": "day notes",
    "G": "call notes",
    "W": "crew member name",
}


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def scene(request, production, manager, client):
    payload = request.param
    t = lambda letter: tag(letter, payload)  # noqa: E731
    client.force_login(manager)

    def post(url, data):
        response = client.post(url, data)
        assert response.status_code == 302, (url, data, response.content[:2000])

    slug = production.slug
    post(
        reverse("location_add", args=[slug]),
        {
            "name": t("L")[:200],
            "address": t("B"),
            "access_notes": t("K"),
            "nearest_hospital": t("Z"),
        },
    )
    location = Location.objects.get()
    post(
        reverse("day_add", args=[slug]),
        {
            "date": "2030-03-01",
            "kind": "shoot",
            "call_time": "07:00",
            "weather": t("F")[:200],
            "notes": t("O"),
            "locations": [location.pk],
        },
    )
    day = ShootDay.objects.get()
    role = CrewRoleFactory(name="Grip")
    post(
        reverse("crew_member_add", args=[slug]),
        {"name": t("W"), "role": role.pk, "email": "", "phone": ""},
    )
    person = production.assignments.get().crew_member
    post(
        reverse("call_add", args=[day.pk]),
        {"person": f"c{person.pk}", "notes": t("G"), "location": location.pk},
    )
    return {"payload": payload, "production": production, "day": day, "client": client}


PAGES = [
    ("schedule", lambda s: reverse("schedule", args=[s["production"].slug]), False, "LFW"),
    ("call sheet", lambda s: reverse("call_sheet", args=[s["day"].pk]), False, "LBKZFOGW"),
    ("day edit", lambda s: reverse("day_edit", args=[s["day"].pk]), False, "LFO"),
    ("day edit fragment", lambda s: reverse("day_edit", args=[s["day"].pk]), True, "LFO"),
    ("call add fragment", lambda s: reverse("call_add", args=[s["day"].pk]), True, "LW"),
    (
        "call edit",
        lambda s: reverse("call_edit", args=[s["day"].calls.get().pk]),
        False,
        "LGW",
    ),
    ("day delete", lambda s: reverse("day_delete", args=[s["day"].pk]), False, ""),
    (
        "activity feed",
        lambda s: reverse("production_activity", args=[s["production"].slug]),
        False,
        "L",
    ),
]


class _Elements(HTMLParser):
    """Every start tag and its attributes, as a browser would parse them."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, name, attrs):
        self.tags.append((name, dict(attrs)))


def assert_no_live_markup(html, page):
    parser = _Elements()
    parser.feed(html)
    for name, attrs in parser.tags:
        assert name not in ("img", "svg"), (page, name, attrs)
        assert not (name == "script" and "src" not in attrs), (page, name)
        for attr, value in attrs.items():
            assert not attr.startswith("on"), (page, name, attr)
            assert value != "/x", (page, name, attr)  # the payloads' hx-get target


def test_schedule_pages_show_user_text_escaped(scene):
    payload, client = scene["payload"], scene["client"]
    problems = []
    for page, url, htmx, letters in PAGES:
        response = client.get(url(scene), **(HTMX if htmx else {}))
        html = response.content.decode()
        try:
            assert response.status_code == 200, (page, response)
            for letter in letters:
                value = tag(letter, payload)[:200] if letter in "LF" else tag(letter, payload)
                assert escape(value) in html, f"{page}: {FIELDS[letter]} not shown escaped"
                if escape(value) != value:
                    assert value not in html, f"{page}: {FIELDS[letter]} shown raw"
            for fragment in FORBIDDEN:
                assert fragment not in html, f"{page}: {fragment!r} came back as markup"
            assert_no_live_markup(html, page)
            assert_no_injected_markup(html, page)
        except AssertionError as problem:
            problems.append(str(problem))
    assert not problems, "\n".join(problems)


def test_the_call_sheet_pdf_is_made_from_escaped_text(scene):
    """The PDF renders the same template: user text is text in it too (and
    fetches nothing, whatever the text names)."""
    response = scene["client"].get(reverse("call_sheet_pdf", args=[scene["day"].pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
