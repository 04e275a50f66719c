"""Every main page passes axe-core (nothing serious or critical), wide and on a phone.

axe-core is vendored under assets/axe-core (a test asset, not served by the
app). The app's CSP forbids inline scripts, so the file is served from a
same-origin URL that Playwright answers itself (page.route), and the page
loads it with an ordinary <script src>.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from productions import services
from productions.models import Production
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CommentFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
AXE_PATH = "/__test_assets__/axe.min.js"
BLOCKING = {"serious", "critical"}

PAGES = {
    "my_work": "/",
    "everything_due": "/due/",
    "production_list": "/productions/",
    "production": "/productions/{slug}/",
    # The same page with the bulk form open and a row checked.
    "production_bulk": "/productions/{slug}/",
    # The production page with the crew panel's forms open (without JavaScript).
    "production_crew_forms": "/productions/{slug}/crew/",
    "board": "/productions/{slug}/board/",
    "members": "/productions/{slug}/members/",
    "activity": "/productions/{slug}/activity/",
    "trash": "/productions/{slug}/trash/",
    "item_comments": "/items/{item}/comments/",
    "my_settings": "/me/",
    "new_production": "/productions/new/",
    "templates": "/templates/",
    "clone": "/productions/{slug}/clone/",
    "save_template": "/productions/{slug}/save-template/",
    "login": "/login/",
}
WIDTHS = [1280, 375]
# Pages where the data below shows tick buttons (their size is checked at 375 px).
PAGES_WITH_TICKS = {"my_work", "everything_due", "production"}


@pytest.fixture
def data():
    """A production with stages, items, crew, a comment, a trashed item and activity."""
    user = UserFactory(username="coordinator")
    production = services.create_production(
        by=user,
        title="Neon Nights",
        kind=Production.Kind.MUSIC_VIDEO,
        start_date=datetime.date.today(),
        end_date=datetime.date.today() + datetime.timedelta(days=10),
    )
    stage = production.stages.order_by("position").first()
    role = CrewRoleFactory(name="Choreographer")
    # Lia is the logged-in user, so "My work" lists her items.
    lia = CrewMemberFactory(name="Lia Chen", default_role=role, user=user)
    AssignmentFactory(production=production, crew_member=lia, role=role)
    item = services.add_item(
        stage,
        by=user,
        title="Book the drone operator",
        assignee=lia,
        due_date=datetime.date.today() + datetime.timedelta(days=2),
    )
    services.set_item_done(stage.items.exclude(pk=item.pk).first(), True, by=user)
    CommentFactory(item=item, author=user, body="Asked two operators for quotes.")
    services.delete_item(ChecklistItemFactory(stage=stage, title="Old idea"), by=user)
    return {"user": user, "slug": production.slug, "item": item.pk}


def run_axe(page):
    page.add_script_tag(url=AXE_PATH)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document);
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }"""
    )


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(page, live_server, console_errors, data, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.route(
        f"{live_server.url}{AXE_PATH}",
        lambda route: route.fulfill(path=AXE, content_type="text/javascript"),
    )
    if name != "login":
        # Logging in through the form is covered by test_coordinator_flow;
        # here a session cookie saves a round trip per page.
        client = Client()
        client.force_login(data["user"])
        session = client.cookies["sessionid"].value
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])

    page.goto(live_server.url + PAGES[name].format(**data))
    if name == "login":
        expect(page.get_by_role("button", name="Log in")).to_be_visible()
    else:
        assert "/login/" not in page.url, "not logged in"
    if name == "production_bulk":
        page.get_by_role("checkbox", name="Select Book the drone operator").check()
        page.locator("#bulk summary").click()
        expect(page.get_by_label("Change", exact=True)).to_be_visible()
    toggler = page.get_by_role("button", name="Menu")
    if toggler.is_visible():
        # Open the phone menu, so axe and the overflow check see it too.
        toggler.click()
        expect(page.locator("#main-menu")).to_be_visible()
    if width == 375 and name != "login":
        # The menu folds on a phone, and opened it offers Log out.
        expect(toggler).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_be_in_viewport()
    violations = run_axe(page)

    for v in violations:
        print(f"[{name} @ {width}px] {v['impact']}: {v['id']} — {v['help']}")
        for node in v["nodes"]:
            print("   ", node)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} {v['nodes']}" for v in blocking
    )

    if width == 375:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 375:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > 375.5)
                    .slice(0, 8)
                    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                        + (el.className && typeof el.className === 'string'
                            ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                        + ' ' + Math.round(el.getBoundingClientRect().right))"""
            )
            pytest.fail(f"Horizontal overflow: scrollWidth {scroll_width} > 375; widest: {wide}")
        # A table in .table-responsive does not widen the page but scrolls
        # sideways on its own; on a phone its rows stack instead.
        scrolling = page.evaluate(
            """() => [...document.querySelectorAll('.table-responsive')]
                .filter(el => el.scrollWidth > el.clientWidth + 1)
                .map(el => el.querySelector('table')?.className)"""
        )
        assert not scrolling, f"Tables scroll sideways at 375px: {scrolling}"
        # Tick buttons are touch targets of at least 44 by 44 px.
        ticks = page.get_by_role("button", name=re.compile(r"^Mark as (not )?done: "))
        if name in PAGES_WITH_TICKS:
            expect(ticks.first).to_be_visible()
        small = [
            (box["width"], box["height"])
            for box in (tick.bounding_box() for tick in ticks.all())
            if box["width"] < 44 or box["height"] < 44
        ]
        assert not small, f"Tick buttons smaller than 44px at 375px: {small}"

    assert not console_errors
