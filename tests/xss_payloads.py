"""The XSS payloads, and the scene that writes one of them into every text
field of the app, tagged with a letter per field: shared by
tests/test_xss_pages.py and tests/test_xss_exports_and_links.py, whose
`scene` fixture builds it once per payload.

Markup needs no script to do harm: htmx runs the `hx-*` attributes of any
element it finds, `<base>` redirects every relative link and form, a
`<meta http-equiv=refresh>` navigates away, a `<form>` posts elsewhere. The
MARKUP payloads are such elements, each with a marker id; `injected_markup()`
parses a page as a browser would (tinyhtml5, WeasyPrint's HTML5 parser) and
lists what of them came alive, so a test can assert that nothing did.
"""

import tinyhtml5
from django.urls import reverse

from productions.models import ChecklistItem, ChecklistTemplate, Membership, Production
from tests.conftest import client_for
from tests.factories import (
    CrewMemberFactory,
    CrewRoleFactory,
    MembershipFactory,
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

# Markup that needs no script, each element carrying a marker id (see
# injected_markup()). "/xss-hit/" and xss.invalid are where they would lead.
MARKUP = [
    # The members/add attack of issue 14: htmx posts it as soon as it loads.
    '<div id="xss-marker-1" hx-post="/xss-hit/" hx-vals=\'{"level":"30"}\''
    ' hx-trigger="load">x</div>',
    '<base id="xss-marker-2" href="https://xss.invalid/">',
    '<meta id="xss-marker-3" http-equiv="refresh" content="0;url=https://xss.invalid/">',
    '<form id="xss-marker-4" action="https://xss.invalid/" method="post">'
    "<button>Go</button></form>",
    # Out of a double-quoted attribute (value="…", aria-label="…").
    '" id="xss-marker-5" hx-get="/xss-hit/" hx-trigger="load" x="',
    # Out of a single-quoted one (hx-vals='…', hx-headers='…').
    '\'><div id="xss-marker-6" hx-get="/xss-hit/" hx-trigger="load">x</div>',
    # Out of raw-text elements (<title>, <textarea>, <script>).
    '</title></textarea></script><div id="xss-marker-7" hx-get="/xss-hit/" hx-trigger=load>',
]
PAYLOADS += MARKUP
# Each fits, tagged, the shortest text field it is written to (a role's name, 100).
assert all(len(payload) <= 98 for payload in MARKUP)

MARKER = "xss-marker"
WHERE_TO = ("/xss-hit/", "https://xss.invalid/")


def injected_markup(html):
    """What of the payloads' markup came alive in `html`, parsed as a browser
    parses it: elements with a marker id, any <base>, a <meta> refresh, an
    htmx attribute or form action leading where only a payload leads, an
    inline event handler (the pages have none: the CSP forbids them)."""
    found = []
    for element in tinyhtml5.parse(html, namespace_html_elements=False).iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        attributes = {name.lower(): value for name, value in element.attrib.items()}
        if attributes.get("id", "").startswith(MARKER):
            found.append(f"<{element.tag} id={attributes['id']}>")
        if element.tag == "base":
            found.append(f"<base {attributes}>")
        if element.tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            found.append(f"<meta refresh {attributes}>")
        for name, value in attributes.items():
            # Text in an attribute is fine (hx-confirm shows it in a dialog);
            # an attribute whose whole value is a payload's URL was injected.
            live = name.startswith(("hx-", "data-hx-")) or name in ("action", "formaction")
            if live and value.startswith(WHERE_TO):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def assert_no_injected_markup(html, where):
    found = injected_markup(html)
    assert not found, f"{where}: user text became live markup: {found}"


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


def write_everywhere(payload, manager, staff):
    """Every text field of the app holding the payload, written as users would."""
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
            # A start date: the clone form names the production next to it.
            "start_date": "2027-03-10",
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
