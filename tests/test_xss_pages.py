"""Script and markup typed into any text field comes back as text, on every page.

Each payload is written through the app's own forms (or factories, for what
no form writes: stage and role names, usernames, crew emails) into every text
field, tagged with a letter per field, and every page and fragment that
shows those fields must show them escaped: the tagged value is there in its
escaped form (so the check cannot pass on a page that shows nothing) and
never raw, and no markup or htmx attribute from the payload survives.

The CSV export and the query strings are in tests/test_xss_exports_and_links.py.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from productions.models import Activity, Membership
from tests.conftest import HTMX, client_for
from tests.factories import MembershipFactory, ProductionFactory
from tests.xss_payloads import (
    FIELDS,
    FORBIDDEN,
    MARKUP,
    PAYLOADS,
    assert_no_injected_markup,
    tag,
    write_everywhere,
)


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def scene(request, manager, staff, production):
    """Every text field of the app holding the payload, written as users would
    (see tests/xss_payloads.py)."""
    return write_everywhere(request.param, manager, staff)


def admin_list(model):
    return lambda s: reverse(f"admin:productions_{model}_changelist")


# (page, its URL given the scene, who looks, htmx?, the fields it must show)
PAGES = [
    ("production list", lambda s: reverse("production_list"), "manager", False, "PAV"),
    ("production list htmx", lambda s: reverse("production_list"), "manager", True, "PAV"),
    (
        "search box",
        lambda s: reverse("production_list") + "?" + _query("q", tag("Q", s["payload"])),
        "manager",
        False,
        "Q",
    ),
    (
        "production detail",
        lambda s: s["production"].get_absolute_url(),
        "manager",
        False,
        # Comments and who did what are in the activity feed, which the page
        # loads right after itself (see "activity feed").
        "PAVESINWHRU",
    ),
    ("item fragment", lambda s: reverse("item_detail", args=[s["item"].pk]), "manager", True, "IN"),
    ("item edit form", lambda s: reverse("item_edit", args=[s["item"].pk]), "manager", False, "IN"),
    (
        "item edit fragment",
        lambda s: reverse("item_edit", args=[s["item"].pk]),
        "manager",
        True,
        "IN",
    ),
    (
        "item comments",
        lambda s: reverse("item_comments", args=[s["item"].pk]),
        "manager",
        False,
        "IC",
    ),
    (
        "item comments htmx",
        lambda s: reverse("item_comments", args=[s["item"].pk]),
        "manager",
        True,
        "C",
    ),
    (
        "activity feed",
        lambda s: reverse("production_activity", args=[s["production"].slug]),
        "manager",
        False,
        "PIDCWU",
    ),
    (
        "production edit form",
        lambda s: reverse("production_edit", args=[s["production"].slug]),
        "manager",
        False,
        "PAVE",
    ),
    (
        "members",
        lambda s: reverse("production_members", args=[s["production"].slug]),
        "manager",
        False,
        "PU",
    ),
    (
        "trash",
        lambda s: reverse("production_trash", args=[s["production"].slug]),
        "manager",
        False,
        "PD",
    ),
    (
        "deleted item",
        lambda s: reverse("item_deleted", args=[s["deleted"].pk]),
        "manager",
        False,
        "D",
    ),
    (
        "stage delete confirm",
        lambda s: reverse("stage_delete", args=[s["stage"].pk]),
        "manager",
        False,
        "S",
    ),
    ("deleted productions", lambda s: reverse("deleted_productions"), "manager", False, "X"),
    (
        "deleted production",
        lambda s: reverse("production_deleted", args=[s["gone"].pk]),
        "manager",
        False,
        "X",
    ),
    (
        "deleted stage",
        lambda s: reverse("stage_deleted", args=[s["old_stage"].pk]),
        "manager",
        False,
        "S",
    ),
    # Clone and templates (issue 6, capability 7).
    (
        "clone form",
        lambda s: reverse("production_clone", args=[s["production"].slug]),
        "manager",
        False,
        "P",
    ),
    (
        "save as template form",
        lambda s: reverse("production_save_template", args=[s["production"].slug]),
        "manager",
        False,
        "P",
    ),
    ("templates", lambda s: reverse("template_list"), "manager", False, "TY"),
    ("new production form", lambda s: reverse("production_create"), "manager", False, "T"),
    (
        "template delete confirm",
        lambda s: reverse("template_delete", args=[s["template"].pk]),
        "manager",
        False,
        "T",
    ),
    ("admin productions", admin_list("production"), "staff", False, "PAV"),
    ("admin items", admin_list("checklistitem"), "staff", False, "IS"),
    ("admin crew", admin_list("crewmember"), "staff", False, "WHM"),
    ("admin roles", admin_list("crewrole"), "staff", False, "R"),
    ("admin stages", admin_list("stage"), "staff", False, "S"),
    ("admin templates", admin_list("checklisttemplate"), "staff", False, "T"),
    # Pages and fragments added with the markup payloads (issue 14).
    ("my work", lambda s: reverse("my_work"), "manager", False, "P"),
    ("everything due", lambda s: reverse("everything_due"), "manager", False, "PW"),
    ("everything due htmx", lambda s: reverse("everything_due"), "manager", True, "P"),
    (
        "production detail htmx",
        lambda s: s["production"].get_absolute_url(),
        "manager",
        True,
        "PSIN",
    ),
    (
        "board",
        lambda s: reverse("production_board", args=[s["production"].slug]),
        "manager",
        False,
        "PSI",
    ),
    (
        "board more",
        lambda s: reverse("board_more", args=[s["stage"].pk]) + "?after=0.0.0",
        "manager",
        True,
        "SI",
    ),
    (
        "stage items more",
        lambda s: reverse("stage_items_more", args=[s["stage"].pk]) + "?after=0.0.0",
        "manager",
        True,
        "INU",
    ),
    (
        "live changes",
        lambda s: (
            reverse("production_changes", args=[s["production"].slug])
            + f"?after={_before_the_tick(s)}"
        ),
        "manager",
        True,
        "SINU",
    ),
    (
        "item delete confirm",
        lambda s: reverse("item_delete", args=[s["item"].pk]),
        "manager",
        False,
        "PSI",
    ),
    (
        "item delete fragment",
        lambda s: reverse("item_delete", args=[s["item"].pk]),
        "manager",
        True,
        "I",
    ),
    (
        "item move form",
        lambda s: reverse("item_move", args=[s["item"].pk]),
        "manager",
        False,
        "PSI",
    ),
    (
        "item move fragment",
        lambda s: reverse("item_move", args=[s["item"].pk]),
        "manager",
        True,
        "SI",
    ),
    (
        "stage edit form",
        lambda s: reverse("stage_edit", args=[s["stage"].pk]),
        "manager",
        False,
        "PS",
    ),
    (
        "stage edit fragment",
        lambda s: reverse("stage_edit", args=[s["stage"].pk]),
        "manager",
        True,
        "S",
    ),
    (
        "production delete confirm",
        lambda s: reverse("production_delete", args=[s["production"].slug]),
        "manager",
        False,
        "P",
    ),
    (
        "print view (the PDF's HTML)",
        lambda s: reverse("production_print", args=[s["production"].slug]),
        "manager",
        False,
        "PAVSINU",
    ),
    (
        "checklist import",
        lambda s: reverse("checklist_import", args=[s["production"].slug]),
        "manager",
        False,
        "P",
    ),
    (
        "calendar links",
        lambda s: reverse("production_calendar", args=[s["production"].slug]),
        "manager",
        False,
        "PW",
    ),
    (
        "members fragment",
        lambda s: reverse("production_members", args=[s["production"].slug]),
        "manager",
        True,
        "PU",
    ),
    (
        "clone fragment",
        lambda s: reverse("production_clone", args=[s["production"].slug]),
        "manager",
        True,
        "P",
    ),
    (
        "save as template fragment",
        lambda s: reverse("production_save_template", args=[s["production"].slug]),
        "manager",
        True,
        "P",
    ),
]


def _query(name, value):
    return urlencode({name: value})


def _before_the_tick(scene):
    """The activity the live poll starts after: the one before the item's tick
    (a crew change, which the poll does not send), so the answer holds the
    ticked row, who ticked it, and its stage."""
    ticked = Activity.objects.get(item=scene["item"], kind=Activity.Kind.ITEM_TICKED)
    return (
        Activity.objects.filter(production=ticked.production_id, pk__lt=ticked.pk)
        .order_by("-pk")
        .first()
        .pk
    )


def assert_shows_escaped(html, payload, letters, page):
    for letter in letters:
        value = tag(letter, payload)
        if letter == "H":
            value = value[:50]
        escaped = escape(value)
        assert escaped in html, f"{page}: {FIELDS[letter]} not shown (escaped) — {escaped!r}"
        if escaped != value:
            assert value not in html, f"{page}: {FIELDS[letter]} shown raw — {value!r}"
    for fragment in FORBIDDEN:
        assert fragment not in html, f"{page}: {fragment!r} came back as markup"
    assert_no_injected_markup(html, page)


def test_pages_show_user_text_escaped(scene):
    """Every page and fragment of PAGES, for one payload (one scene, built once):
    every problem is listed, page by page."""
    problems = []
    for page, url, who, htmx, letters in PAGES:
        response = scene[who].get(url(scene), **(HTMX if htmx else {}))
        try:
            assert response.status_code == 200, (page, response)
            assert response["Content-Type"].startswith("text/html"), page
            assert_shows_escaped(response.content.decode(), scene["payload"], letters, page)
        except AssertionError as problem:
            problems.append(str(problem))
    assert not problems, "\n".join(problems)


def test_the_messages_after_a_write_are_escaped(scene):
    # The flash message of a restore names the item.
    client = scene["manager"]
    response = client.post(reverse("item_restore", args=[scene["deleted"].pk]), {}, follow=True)

    assert response.status_code == 200
    assert_shows_escaped(response.content.decode(), scene["payload"], "D", "restore message")


@pytest.mark.parametrize("title", MARKUP, ids=range(len(MARKUP)))
def test_the_clone_form_names_the_source_production_as_text(manager, title):
    """Issue 14: the clone form's "Shift dates by" help names the production
    and its start date; a title made of htmx markup (which posted members/add
    as the victim) stays text there."""
    source = ProductionFactory(title=title, start_date="2027-03-10")
    MembershipFactory(production=source, user=manager, level=Membership.Level.MANAGER)

    for headers in ({}, HTMX):
        response = client_for(manager).get(
            reverse("production_clone", args=[source.slug]), **headers
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert f"{escape(title)} starts on 10 Mar 2027." in html
        assert_no_injected_markup(html, "clone form")
