"""The board in a real browser: reorder with the keyboard alternative to a drag."""

import pytest
from playwright.sync_api import expect

from productions.models import Membership
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_it_reorders_cards_from_the_keyboard(page, live_server, console_errors):
    editor = UserFactory(username="eddie")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=editor, level=Membership.Level.EDITOR)
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    casting = StageFactory(production=production, name="Casting", position=2)
    for position, title in enumerate(["Fit the jackets", "Call the tailor"], start=1):
        ChecklistItemFactory(stage=wardrobe, title=title, position=position)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/productions/neon-nights/board/")
    page.evaluate("window.noReload = true")

    cards = page.locator(f"#column-{wardrobe.pk}-cards .board-card .item-title")
    expect(cards).to_have_text(["Fit the jackets", "Call the tailor"])

    # Move up, from the keyboard: focus stays on the moved card's button.
    page.get_by_role("button", name="Move up: Call the tailor").focus()
    page.keyboard.press("Enter")
    expect(cards).to_have_text(["Call the tailor", "Fit the jackets"])
    expect(page.get_by_role("button", name="Move up: Call the tailor")).to_be_focused()

    # Move to another stage with the select and its button.
    page.get_by_label("Move “Fit the jackets” to", exact=True).select_option(label="Casting")
    page.get_by_role("button", name="Move “Fit the jackets” to the chosen stage").press("Enter")
    expect(page.locator(f"#column-{casting.pk}-cards .item-title")).to_have_text(
        ["Fit the jackets"]
    )
    expect(cards).to_have_text(["Call the tailor"])
    expect(page.locator(f"#column-{casting.pk}-progress")).to_contain_text("0 of 1 done")

    assert page.evaluate("window.noReload") is True
    assert console_errors == []
