"""Paste-to-add: a pasted list in a stage's add box becomes one item per line."""

import pytest
from playwright.sync_api import expect

from productions.models import ChecklistItem, Membership
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_pasting_several_lines_previews_and_adds_one_item_per_line(
    page, live_server, log_in, console_errors
):
    eddie = UserFactory(username="eddie")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=eddie, level=Membership.Level.EDITOR)
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    ChecklistItemFactory(stage=wardrobe, title="Fit the jackets", position=1)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(eddie, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")

    stage = page.get_by_role("region", name="Wardrobe")
    box = stage.get_by_role("textbox", name="New item for Wardrobe")
    titles = stage.locator(".item-title")

    # A real paste (through the clipboard, Ctrl+V), blank lines ignored.
    page.evaluate(
        "text => navigator.clipboard.writeText(text)",
        "Call the tailor\n\nBook the van\r\nSteam the coats\n",
    )
    box.focus()
    page.keyboard.press("ControlOrMeta+V")
    expect(stage.get_by_text("Add 3 items?")).to_be_visible()

    # Enter adds them all, in order, and the box is empty and ready again.
    page.keyboard.press("Enter")
    expect(titles).to_have_text(
        ["Fit the jackets", "Call the tailor", "Book the van", "Steam the coats"]
    )
    expect(stage.get_by_text("0 of 4 done")).to_be_visible()
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    expect(stage.get_by_text("Add 3 items?")).to_have_count(0)

    # Straight on from the keyboard: one line and Enter adds one item; Shift+Enter
    # starts a second line (and the preview counts it).
    page.keyboard.type("Press the shirts")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Label the hangers")
    expect(stage.get_by_text("Add 2 items?")).to_be_visible()
    page.keyboard.press("Enter")
    expect(titles).to_have_count(6)
    expect(titles.nth(5)).to_have_text("Label the hangers")
    expect(box).to_be_focused()
    page.keyboard.type("Return the rails")
    page.keyboard.press("Enter")
    expect(titles).to_have_count(7)
    expect(titles.last).to_have_text("Return the rails")
    expect(box).to_have_value("")

    assert list(
        ChecklistItem.objects.filter(stage=wardrobe)
        .order_by("position")
        .values_list("title", flat=True)
    ) == [
        "Fit the jackets",
        "Call the tailor",
        "Book the van",
        "Steam the coats",
        "Press the shirts",
        "Label the hangers",
        "Return the rails",
    ]
    assert page.evaluate("window.noReload") is True
    assert console_errors == []


def test_enter_right_after_an_add_still_adds_in_place(page, live_server, log_in):
    """htmx wires up swapped-in content as the swap settles (by default 20 ms
    later): an Enter right after an add must not post the whole page."""
    eddie = UserFactory(username="eddie")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=eddie, level=Membership.Level.EDITOR)
    StageFactory(production=production, name="Wardrobe", position=1)
    log_in(eddie, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")
    stage = page.get_by_role("region", name="Wardrobe")
    box = stage.get_by_role("textbox", name="New item for Wardrobe")
    # The next item is typed and entered the moment the first add is swapped in.
    page.evaluate(
        """() => document.body.addEventListener("htmx:afterSwap", (event) => {
            // The add's answer (not the live poll's, every 5 s).
            if (!event.detail.elt.matches("form[id$=-add-item]") || window.enteredAgain) return;
            window.enteredAgain = true;
            // The first moment a key press can arrive: the next task.
            setTimeout(() => {
                const box = document.querySelector("textarea[data-paste-add]");
                box.value = "Book the van";
                box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
            }, 0);
        })"""
    )
    box.fill("Call the tailor")
    box.press("Enter")
    expect(stage.locator(".item-title")).to_have_text(["Call the tailor", "Book the van"])
    assert page.evaluate("window.noReload") is True
