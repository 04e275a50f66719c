"""Keyboard focus after inline edits and deletes: never dropped to <body>."""

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


def row(stage, title):
    """The checklist row of the item called `title`."""
    return stage.get_by_role("listitem").filter(has=stage.page.get_by_text(title, exact=True))


@pytest.fixture
def wardrobe(db):
    eddie = UserFactory(username="eddie")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=eddie, level=Membership.Level.EDITOR)
    stage = StageFactory(production=production, name="Wardrobe", position=1)
    for position, title in enumerate(
        ["Fit the jackets", "Call the tailor", "Steam the coats"], start=1
    ):
        ChecklistItemFactory(stage=stage, title=title, position=position)
    return eddie


def test_focus_follows_an_inline_edit_through_save_cancel_and_esc(
    page, live_server, log_in, wardrobe, console_errors
):
    log_in(wardrobe, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")
    edit = page.get_by_role("link", name="Edit Call the tailor")

    # Opening the edit puts the keyboard in its first field; Save brings it
    # back to the row's Edit link.
    edit.focus()
    page.keyboard.press("Enter")
    title = page.get_by_label("Title")
    expect(title).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Call the tailor about the hems")
    page.get_by_role("button", name="Save").press("Enter")
    edit = page.get_by_role("link", name="Edit Call the tailor about the hems")
    expect(edit).to_be_focused()
    assert ChecklistItem.objects.filter(title="Call the tailor about the hems").exists()

    # Cancel: back on Edit, nothing saved.
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_be_focused()
    page.get_by_label("Title").fill("Never saved")
    page.get_by_role("link", name="Cancel").press("Enter")
    expect(edit).to_be_focused()

    # Esc in any field of the edit cancels it too.
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_be_focused()
    page.get_by_label("Notes").fill("Never saved either")
    page.get_by_label("Notes").press("Escape")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(edit).to_be_focused()

    assert not ChecklistItem.objects.filter(title="Never saved").exists()
    assert not ChecklistItem.objects.exclude(notes="").exists()
    assert page.evaluate("window.noReload") is True
    assert console_errors == []


def test_focus_through_a_delete_confirmation_and_after_the_delete(
    page, live_server, log_in, wardrobe, console_errors
):
    log_in(wardrobe, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")
    stage = page.get_by_role("region", name="Wardrobe")
    delete = page.get_by_role("link", name="Delete Call the tailor")

    # The confirmation opens with focus on its Delete button; Cancel returns
    # focus to the row's Delete link.
    delete.focus()
    page.keyboard.press("Enter")
    confirm = stage.get_by_role("button", name="Delete", exact=True)
    expect(confirm).to_be_focused()
    stage.get_by_role("link", name="Cancel").press("Enter")
    expect(delete).to_be_focused()

    # Confirmed: the row says what went and offers Undo; focus moves on to
    # the next row (Undo is one Shift+Tab back).
    page.keyboard.press("Enter")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(stage.get_by_text("Moved “Call the tailor” to the trash.")).to_be_visible()
    expect(row(stage, "Steam the coats").locator(":focus")).to_have_count(1)
    page.keyboard.press("Shift+Tab")
    expect(stage.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Mark as done: Call the tailor")).to_be_visible()

    # Deleting the last row: there is no next row, so focus goes to the one before.
    page.get_by_role("link", name="Delete Steam the coats").click()
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(stage.get_by_text("Moved “Steam the coats” to the trash.")).to_be_visible()
    expect(row(stage, "Call the tailor").locator(":focus")).to_have_count(1)

    assert list(ChecklistItem.objects.values_list("title", flat=True).order_by("position")) == [
        "Fit the jackets",
        "Call the tailor",
    ]
    assert page.evaluate("window.noReload") is True
    assert console_errors == []


def test_a_tick_and_a_status_change_keep_the_keyboard_where_it_was(
    page, live_server, log_in, wardrobe, console_errors
):
    log_in(wardrobe, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")
    stage = page.get_by_role("region", name="Wardrobe")

    # A tick replaces its row; the keyboard stays on the (now pressed) tick.
    stage.get_by_role("button", name="Mark as done: Call the tailor").focus()
    page.keyboard.press("Enter")
    expect(stage.get_by_role("button", name="Mark as not done: Call the tailor")).to_be_focused()
    page.keyboard.press("Enter")
    expect(stage.get_by_role("button", name="Mark as done: Call the tailor")).to_be_focused()

    # Setting a stage status by hand replaces the status line; focus stays on Set.
    stage.get_by_label("Status").select_option(label="Blocked")
    stage.get_by_role("button", name="Set", exact=True).focus()
    page.keyboard.press("Enter")
    expect(stage.get_by_text("set by hand")).to_be_visible()
    expect(stage.get_by_role("button", name="Set", exact=True)).to_be_focused()

    assert page.evaluate("window.noReload") is True
    assert console_errors == []


def test_forms_that_load_when_asked_for_take_the_keyboard(
    page, live_server, log_in, wardrobe, console_errors
):
    Membership.objects.filter(user=wardrobe).update(level=Membership.Level.MANAGER)
    log_in(wardrobe, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")

    # "Add a stage…" brings its form, focus on the name.
    page.get_by_role("link", name="Add a stage…").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()

    # "Assign or add crew…" brings the crew forms, focus on the first choice.
    page.get_by_role("link", name="Assign or add crew…").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#crew").get_by_label("Crew member")).to_be_focused()

    assert page.evaluate("window.noReload") is True
    assert console_errors == []
