"""The production page's filter lives in the URL: set in place, kept on
reload, cleared with "Clear filters"."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from productions.models import Membership
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_filtered_view_is_carried_by_its_url_and_survives_a_reload(
    page, live_server, log_in, console_errors
):
    eddie = UserFactory(username="eddie")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=eddie, level=Membership.Level.EDITOR)
    lia = CrewMemberFactory(name="Lia Chen")
    AssignmentFactory(production=production, crew_member=lia, role=CrewRoleFactory(name="Stylist"))
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    filming = StageFactory(production=production, name="Filming", position=2)
    ChecklistItemFactory(stage=wardrobe, title="Fit the jackets", assignee=lia, position=1)
    ChecklistItemFactory(
        stage=wardrobe,
        title="Fit the wigs",
        assignee=lia,
        done=True,
        done_at=timezone.now(),
        position=2,
    )
    ChecklistItemFactory(stage=wardrobe, title="Fit the shoes", position=3)
    ChecklistItemFactory(stage=filming, title="Call the tailor", assignee=lia, position=1)
    log_in(eddie, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")
    titles = page.locator("#checklist .item-title")
    form = page.get_by_role("search", name="Filter the checklist")
    expect(titles).to_have_count(4)
    expect(page.get_by_role("link", name="Clear filters")).to_have_count(0)

    # Typing filters as you go; the URL follows (hx-push-url).
    form.get_by_label("Search").fill("fit")
    expect(page).to_have_url(re.compile(r"[?&]q=fit"))
    # (Open items first, as always.)
    expect(titles).to_have_text(["Fit the jackets", "Fit the shoes", "Fit the wigs"])
    form.get_by_label("State").select_option(label="Open")
    expect(page).to_have_url(re.compile(r"[?&]state=open"))
    expect(titles).to_have_text(["Fit the jackets", "Fit the shoes"])
    form.get_by_label("Assigned to").select_option(label="Lia Chen")
    expect(page).to_have_url(re.compile(rf"[?&]assignee={lia.pk}\b"))
    expect(titles).to_have_text(["Fit the jackets"])
    wardrobe_section = page.get_by_role("region", name="Wardrobe")
    expect(wardrobe_section.get_by_text("Showing 1 matching item")).to_be_visible()
    expect(
        page.get_by_role("region", name="Filming").get_by_text("Showing 0 matching items")
    ).to_be_visible()
    assert page.evaluate("window.noReload") is True
    query = parse_qs(urlsplit(page.url).query)
    assert {name: query[name] for name in ("q", "state", "assignee")} == {
        "q": ["fit"],
        "state": ["open"],
        "assignee": [str(lia.pk)],
    }

    # The URL alone brings the same view back (a reload, a bookmark, a link).
    filtered_url = page.url
    page.reload()
    expect(titles).to_have_text(["Fit the jackets"])
    expect(form.get_by_label("Search")).to_have_value("fit")
    expect(form.get_by_label("State")).to_have_value("open")
    expect(form.get_by_label("Assigned to")).to_have_value(str(lia.pk))
    page.goto(live_server.url + "/")
    page.goto(filtered_url)
    expect(titles).to_have_text(["Fit the jackets"])

    # Clear filters: everything again, and a clean URL and form.
    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{live_server.url}/productions/neon-nights/")
    expect(titles).to_have_count(4)
    expect(form.get_by_label("Search")).to_have_value("")
    expect(form.get_by_label("State")).to_have_value("")
    expect(form.get_by_label("Assigned to")).to_have_value("")
    expect(page.get_by_role("link", name="Clear filters")).to_have_count(0)
    assert console_errors == []
