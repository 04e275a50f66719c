"""No Content-Security-Policy violation anywhere in the everyday flows (issue
14, part 5): assigning crew, a bulk change and its Undo, a comment, adding
and ticking items. Chromium saw 10 `style-src` violations there, from empty
`style=""` attributes.

An init script listens for `securitypolicyviolation` events in every page the
test opens and reports each to the test at once (a reload would lose a list
kept in the page); console errors are collected too."""

import pytest
from playwright.sync_api import expect

from productions.models import Membership
from productions.services.counters import recount_production
from tests.factories import (
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
  });
});
"""

TITLES = ["Fit the jackets", "Steam the shirts", "Call the tailor"]


@pytest.fixture
def violations(page):
    """Every CSP violation the pages report, as it happens."""
    found = []
    page.expose_binding("reportViolation", lambda source, violation: found.append(violation))
    page.add_init_script(LISTEN)
    return found


def test_the_everyday_flows_break_no_csp_rule(page, log_in, violations, console_errors):
    manager = UserFactory(username="mina")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=manager, level=Membership.Level.MANAGER)
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    for position, title in enumerate(TITLES, start=1):
        ChecklistItemFactory(stage=wardrobe, title=title, position=position)
    CrewMemberFactory(name="Lia Chen", default_role=CrewRoleFactory(name="Choreographer"))
    recount_production(production.pk)

    log_in(manager, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")
    section = page.locator(f"#stage-{wardrobe.pk}")

    # Assign crew.
    page.locator("#crew").get_by_role("link", name="Assign or add crew…").click()
    crew = page.locator("#crew")
    crew.get_by_label("Crew member").select_option(label="Lia Chen (Choreographer)")
    crew.get_by_role("button", name="Assign").click()
    expect(crew.locator("li", has_text="Lia Chen")).to_contain_text("Choreographer")

    # A bulk change, then its Undo.
    for title in TITLES[:2]:
        page.get_by_role("checkbox", name=f"Select {title}").check()
    page.locator("#bulk summary").click()
    page.get_by_label("Change", exact=True).select_option(label="Mark done")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#bulk-done")).to_contain_text("Marked 2 items done")
    page.get_by_role("button", name="Undo").click()
    expect(section).to_contain_text("0 of 3 done")

    # Add an item, tick it.
    section.get_by_placeholder("Add an item…").fill("Book the tailor")
    section.get_by_role("button", name="Add").click()
    new_item = section.locator("li", has_text="Book the tailor")
    expect(new_item).to_be_visible()
    new_item.get_by_role("button", name="Mark as done").click()
    expect(new_item.get_by_role("button", name="Mark as not done")).to_be_visible()

    assert page.evaluate("window.noReload") is True

    # A comment (its own page).
    page.get_by_role("link", name="Comments on Fit the jackets").click()
    page.get_by_role("textbox", name="Comment").fill("Red ones, please")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_text("Red ones, please")).to_be_visible()

    # Whatever htmx settles late (the swap and settle classes) has had its turn.
    page.wait_for_timeout(300)
    assert violations == []
    assert console_errors == []


def test_a_violation_is_seen(page, log_in, violations):
    """The listener works: a style attribute the policy refuses is reported."""
    log_in(UserFactory(username="mina"), "/productions/")

    page.evaluate("document.body.setAttribute('style', '')")

    page.wait_for_timeout(200)
    assert [v["directive"] for v in violations] == ["style-src-attr"]


def test_htmx_copies_no_style_attribute_as_it_settles(page, log_in, violations, console_errors):
    """What wrote the empty style="" attributes: a script (SortableJS on the
    board, axe-core, an extension) sets and clears an inline style through
    the CSSOM, which the policy allows but which leaves `style=""` on the
    element; when htmx swaps in the element's replacement (same id) it copies
    the old element's class and style onto it while it settles, with
    setAttribute, which the policy refuses. htmx settles no style attribute
    here (attributesToSettle in base.html)."""
    editor = UserFactory(username="eddie")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=editor, level=Membership.Level.EDITOR)
    item = ChecklistItemFactory(stage=StageFactory(production=production), title="Fit the jackets")
    recount_production(production.pk)
    log_in(editor, "/productions/neon-nights/")
    page.evaluate(
        """(id) => {
            const row = document.getElementById(id);
            row.style.color = "red";
            row.style.color = "";
        }""",
        f"item-{item.pk}",
    )
    assert page.locator(f"#item-{item.pk}").get_attribute("style") == ""

    page.get_by_role("button", name="Mark as done: Fit the jackets").click()

    expect(page.get_by_role("button", name="Mark as not done: Fit the jackets")).to_be_visible()
    page.wait_for_timeout(200)
    assert violations == []
    assert console_errors == []
