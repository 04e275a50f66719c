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
    assert console_errors == [], console_errors


def drag(page, source, drop_point):
    """Drag `source` with the mouse to `drop_point()`, an (x, y), in small
    steps: SortableJS reacts to the moves on the way, as with a hand on a
    mouse. The point is asked for again on each approach, as the dragged
    placeholder moves things about."""
    start = source.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + min(start["height"] / 2, 12)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 5, y + 5, steps=2)
    for _ in range(3):
        page.mouse.move(*drop_point(), steps=10)
        page.wait_for_timeout(50)
    page.mouse.up()


def middle(locator):
    box = locator.bounding_box()
    return lambda: (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def below_the_last_card(cards):
    def point():
        box = cards.bounding_box()
        return box["x"] + box["width"] / 2, box["y"] + box["height"] - 3

    return point


def test_it_moves_cards_and_columns_by_dragging(page, live_server, log_in, console_errors):
    mina = UserFactory(username="mina")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=mina, level=Membership.Level.MANAGER)
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    casting = StageFactory(production=production, name="Casting", position=2)
    StageFactory(production=production, name="Filming", position=3)
    for position, title in enumerate(["Fit the jackets", "Call the tailor"], start=1):
        ChecklistItemFactory(stage=wardrobe, title=title, position=position)
    ChecklistItemFactory(stage=casting, title="Book the dancers", position=1)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(mina, "/productions/neon-nights/board/")
    page.evaluate("window.noReload = true")

    def cards(stage_name):
        return page.get_by_role("region", name=stage_name).locator(".board-card .item-title")

    columns = page.locator("#board").get_by_role("heading", level=2)
    expect(columns).to_have_text(["Wardrobe", "Casting", "Filming"])

    # A card dragged onto another column's card goes in front of it; the
    # server takes the move (both columns' counts change).
    with page.expect_response(lambda r: "/move/" in r.url and r.status == 200):
        drag(
            page,
            cards("Wardrobe").filter(has_text="Call the tailor"),
            middle(cards("Casting").first),
        )
    expect(cards("Casting")).to_have_text(["Call the tailor", "Book the dancers"])
    expect(cards("Wardrobe")).to_have_text(["Fit the jackets"])
    expect(page.get_by_role("region", name="Casting").get_by_text("0 of 2 done")).to_be_visible()

    # Dropped below a column's last card, it goes last.
    with page.expect_response(lambda r: "/move/" in r.url and r.status == 200):
        drag(
            page,
            cards("Wardrobe").first,
            below_the_last_card(page.locator(f"#column-{casting.pk}-cards")),
        )
    expect(cards("Casting")).to_have_text(
        ["Call the tailor", "Book the dancers", "Fit the jackets"]
    )
    expect(cards("Wardrobe")).to_have_count(0)

    # A column dragged by its title to the other end of the board.
    with page.expect_response(lambda r: "/stages/order/" in r.url and r.status == 204):
        drag(page, columns.filter(has_text="Filming"), middle(columns.filter(has_text="Wardrobe")))
    expect(columns).to_have_text(["Filming", "Wardrobe", "Casting"])
    assert page.evaluate("window.noReload") is True

    page.reload()
    expect(columns).to_have_text(["Filming", "Wardrobe", "Casting"])
    expect(cards("Casting")).to_have_text(
        ["Call the tailor", "Book the dancers", "Fit the jackets"]
    )
    expect(cards("Wardrobe")).to_have_count(0)
    assert console_errors == [], console_errors
