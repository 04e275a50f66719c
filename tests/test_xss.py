"""Script and markup typed into any text field comes back as text, everywhere.

Each payload is written through the app's own forms (or factories, for what
no form writes: stage and role names, usernames, crew emails) into every text
field, tagged with a letter per field, and every page and fragment that
shows those fields must show them escaped: the tagged value is there in its
escaped form (so the check cannot pass on a page that shows nothing) and
never raw, and no markup or htmx attribute from the payload survives.
"""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from productions.models import Activity, ChecklistItem, ChecklistTemplate, Membership, Production
from tests.conftest import HTMX, client_for
from tests.factories import (
    CrewMemberFactory,
    CrewRoleFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='x",
    '" hx-get="/x" hx-trigger="load',
    '<div hx-get="/x" hx-trigger="load">x</div>',
    "{{ 7*7 }}{% now 'Y' %}",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><svg onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "&lt;script&gt;",
    "<!--",
    "]]><![CDATA[",
    "`${alert(1)}`",
    '=HYPERLINK("http://x")',
]

# Fragments that must never come back as markup, whatever the payload.
FORBIDDEN = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    'hx-get="/x"',
    "<div hx-get",
    "onmouseover='x",
    "</textarea><script",
    "<a href='javascript",
]

# One letter per field: the tagged value is `letter + "·" + payload`.
FIELDS = {
    "P": "production title",
    "A": "production artist",
    "V": "production venue",
    "E": "production description",
    "S": "stage name",
    "I": "item title",
    "N": "item notes",
    "C": "comment body",
    "W": "crew member name",
    "H": "crew member phone",
    "M": "crew member email (factory)",
    "R": "crew role name (factory)",
    "U": "username (factory), as an activity's actor",
    "D": "deleted item title",
    "X": "deleted production title",
    "Q": "search text",
    "T": "template name",
    "Y": "template description",
}


def tag(letter, payload):
    return f"{letter}·{payload}"


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def scene(request, manager, staff, production):
    """Every text field of the app holding the payload, written as users would."""
    payload = request.param
    t = lambda letter: tag(letter, payload)  # noqa: E731
    client = client_for(manager)

    def post(url, data):
        response = client.post(url, data)
        assert response.status_code == 302, (url, data, response)
        return response

    post(
        reverse("production_create"),
        {
            "title": t("P"),
            "artist": t("A"),
            "venue": t("V"),
            "description": t("E"),
            "kind": "other",
            "status": "planning",
        },
    )
    show = Production.objects.get(title=t("P"))
    stage = StageFactory(production=show, name=t("S"))
    post(reverse("item_add", args=[stage.pk]), {"title": t("I")})
    item = ChecklistItem.objects.get(stage=stage, title=t("I"))
    post(
        reverse("item_edit", args=[item.pk]),
        {"title": t("I"), "notes": t("N"), "version": item.version},
    )
    post(reverse("item_comments", args=[item.pk]), {"body": t("C")})
    role = CrewRoleFactory(name=t("R"))
    post(
        reverse("crew_member_add", args=[show.slug]),
        {"name": t("W"), "role": role.pk, "phone": t("H")[:50], "email": ""},
    )
    # An email no form would take, straight into the directory.
    CrewMemberFactory(name="Mail Person", email=t("M"), default_role=role)
    # A username no form would take, acting on the checklist.
    actor = UserFactory(username=t("U")[:150])
    MembershipFactory(production=show, user=actor, level=Membership.Level.EDITOR)
    response = client_for(actor).post(reverse("item_toggle", args=[item.pk]), {"done": "1"})
    assert response.status_code == 302
    post(reverse("item_add", args=[stage.pk]), {"title": t("D")})
    deleted = ChecklistItem.objects.get(stage=stage, title=t("D"))
    post(reverse("item_delete", args=[deleted.pk]), {})
    post(
        reverse("production_create"),
        {"title": t("X"), "kind": "other", "status": "planning"},
    )
    gone = Production.objects.get(title=t("X"))
    post(reverse("production_delete", args=[gone.slug]), {})
    old_stage = StageFactory(production=show, name=t("S"), position=9)
    post(reverse("stage_delete", args=[old_stage.pk]), {})
    post(
        reverse("production_save_template", args=[show.slug]),
        {"name": t("T"), "description": t("Y")},
    )
    return {
        "payload": payload,
        "template": ChecklistTemplate.objects.get(name=t("T")),
        "production": show,
        "stage": stage,
        "item": item,
        "deleted": deleted,
        "old_stage": old_stage,
        "gone": gone,
        "manager": client,
        "staff": client_for(staff),
    }


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
]


def body(response):
    """The bytes of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _query(name, value):
    return urlencode({name: value})


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


@pytest.mark.parametrize(
    ("page", "url", "who", "htmx", "letters"), PAGES, ids=[page[0] for page in PAGES]
)
def test_pages_show_user_text_escaped(scene, page, url, who, htmx, letters):
    response = scene[who].get(url(scene), **(HTMX if htmx else {}))

    assert response.status_code == 200, (page, response)
    assert response["Content-Type"].startswith("text/html")
    assert_shows_escaped(response.content.decode(), scene["payload"], letters, page)


def test_the_messages_after_a_write_are_escaped(scene):
    # The flash message of a restore names the item.
    client = scene["manager"]
    response = client.post(reverse("item_restore", args=[scene["deleted"].pk]), {}, follow=True)

    assert response.status_code == 200
    assert_shows_escaped(response.content.decode(), scene["payload"], "D", "restore message")


def test_the_csv_export_is_a_download_not_a_page(scene):
    """The export holds the text as it is (it is no HTML); a browser must not
    render it as a page, and a spreadsheet must not run it as a formula."""
    slug = scene["production"].slug
    response = scene["manager"].get(reverse("production_export_csv", args=[slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    item = rows[0].index("Item")
    assert [tag("I", scene["payload"])] == [row[item] for row in rows if "I·" in row[item]]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1+1", "@SUM(A1)", '=HYPERLINK("x")'])
def test_the_csv_export_defuses_formulas_in_every_column(manager, production, payload):
    stage = StageFactory(production=production, name=payload)
    role = CrewRoleFactory(name=payload)
    crew = CrewMemberFactory(name=payload, default_role=role)
    production.title = payload
    production.save()
    ChecklistItem.objects.create(stage=stage, title=payload, assignee=crew)

    response = client_for(manager).get(reverse("production_export_csv", args=["neon-nights"]))

    header, cells = csv.reader(io.StringIO(body(response).decode("utf-8-sig")))
    for column in ("Production", "Stage", "Item", "Assignee", "Role"):
        assert cells[header.index(column)] == f"'{payload}", (column, cells)


@pytest.mark.parametrize("payload", PAYLOADS[:5], ids=range(5))
def test_pagination_links_carry_the_query_escaped(manager, production, payload):
    """The page links repeat the query string ({% querystring %}): odd
    parameters in it come back as text too."""
    for n in range(30):
        MembershipFactory(production=ProductionFactory(title=f"Show {n}"), user=manager, level=30)
    for _ in range(25):
        Activity.objects.create(production=production, kind=Activity.Kind.COMMENTED)
    client = client_for(manager)
    query = "?" + urlencode({"evil": payload, payload: "x"})

    for url in (
        reverse("production_list"),
        reverse("production_activity", args=[production.slug]),
        reverse("production_detail", args=[production.slug]),
    ):
        for headers in ({}, HTMX):
            response = client.get(url + query, **headers)
            html = response.content.decode()
            assert response.status_code == 200
            if "detail" in response.resolver_match.url_name:
                # The feed loads after the page, with the page's query.
                assert "/activity/?evil=" in html, url
            else:
                assert "page=2" in html, url  # the links are there
            for fragment in FORBIDDEN:
                assert fragment not in html, (url, fragment)
            assert payload not in html or escape(payload) == payload, url
