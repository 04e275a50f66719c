"""Bulk changes in a real browser: check rows, mark them done in one go,
then Undo the whole change — no reload, from the keyboard."""

import pytest
from playwright.sync_api import expect

from productions.models import ChecklistItem, Membership
from productions.services.counters import recount_production
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLES = ["Fit the jackets", "Steam the shirts", "Call the tailor"]


def test_bulk_tick_with_undo(page, live_server, console_errors):
    editor = UserFactory(username="eddie")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=editor, level=Membership.Level.EDITOR)
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    for position, title in enumerate(TITLES, start=1):
        ChecklistItemFactory(stage=wardrobe, title=title, position=position)
    recount_production(production.pk)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/productions/neon-nights/")
    page.evaluate("window.noReload = true")

    # Check two rows from the keyboard (Space toggles a checkbox).
    for title in TITLES[:2]:
        page.get_by_role("checkbox", name=f"Select {title}").focus()
        page.keyboard.press("Space")
    summary = page.locator("#bulk summary")
    expect(summary).to_contain_text("2 checked")
    summary.click()
    page.get_by_label("Change", exact=True).select_option(label="Mark done")
    page.get_by_role("button", name="Apply").click()

    status = page.locator("#bulk-done")
    expect(status).to_contain_text("Marked 2 items done")
    expect(page.locator(f"#stage-{wardrobe.pk}-progress")).to_contain_text("2 of 3 done")
    for title in TITLES[:2]:
        expect(page.get_by_role("button", name=f"Mark as not done: {title}")).to_be_visible()
    # The rows stay checked, ready for a second change to the same items.
    expect(page.locator("#bulk summary")).to_contain_text("2 checked")
    # Focus is on Undo, so Enter undoes the whole change.
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#stage-{wardrobe.pk}-progress")).to_contain_text("0 of 3 done")
    expect(page.locator(".toast-area")).to_contain_text("Undone: marked 2 items done")
    expect(page.locator("#bulk-done")).to_have_count(0)
    # The Undo button is gone: focus lands on the bulk form's heading.
    expect(page.locator("#bulk summary")).to_be_focused()
    assert not ChecklistItem.objects.filter(done=True).exists()

    # An error stays next to the form: no action chosen.
    page.get_by_role("checkbox", name=f"Select {TITLES[2]}").check()
    if page.locator("#bulk[open]").count() == 0:
        page.locator("#bulk summary").click()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#bulk-action-error")).to_contain_text("Choose what to do")

    assert page.evaluate("window.noReload") is True
    assert console_errors == []
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/bulk-375.png", full_page=True)
