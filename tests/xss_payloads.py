"""The XSS payloads, and the scene that writes one of them into every text
field of the app, tagged with a letter per field: shared by
tests/test_xss_pages.py and tests/test_xss_exports_and_links.py, whose
`scene` fixture builds it once per payload."""

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
