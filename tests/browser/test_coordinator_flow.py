"""The flow a production coordinator follows on day one, in a real browser."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from productions.models import ChecklistItem, Production, Stage
from tests.factories import CrewMemberFactory, CrewRoleFactory, UserFactory

# The live server flushes the database after each test; serialized rollback
# restores the seeded crew roles and stage templates for the tests after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_it_runs_the_coordinator_flow(page, live_server, console_errors):
    UserFactory(username="coordinator")
    choreographer = CrewRoleFactory(name="Choreographer")
    CrewMemberFactory(name="Lia Chen", default_role=choreographer)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    # Create "Neon Nights"; a bad date range is refused next to the field first.
    page.get_by_role("link", name="New production").first.click()
    page.get_by_label("Title").fill("Neon Nights")
    page.get_by_label("Kind").select_option(label="Music video")
    page.get_by_label("Start date").fill("2027-03-10")
    page.get_by_label("End date").fill("2027-03-01")
    page.get_by_role("button", name="Create production").click()
    expect(page.get_by_text("The end date cannot be before the start date.")).to_be_visible()
    assert not Production.objects.exists()
    page.get_by_label("End date").fill("2027-03-12")
    page.get_by_role("button", name="Create production").click()

    # Its stages are laid out already.
    expect(page.get_by_role("heading", name="Neon Nights")).to_be_visible()
    for name in [
        "Concept & treatment",
        "Location scouting",
        "Casting & wardrobe selection",
        "Choreography rehearsals",
        "Filming",
        "Post-production editing",
    ]:
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()

    # From here on nothing may reload the page.
    page.evaluate("window.noReload = true")
    concept = page.locator("section", has=page.get_by_role("heading", name="Concept & treatment"))
    first = concept.locator("li.list-group-item").first
    first.get_by_role("button", name="Mark as done").click()
    expect(first.get_by_role("button", name="Mark as not done")).to_be_visible()
    expect(concept.get_by_text("1 of 4 done")).to_be_visible()
    # The checklist moved the stage's status: its select came out of band.
    expect(concept.get_by_label("Status")).to_have_value("in_progress")
    expect(concept.locator("select.stage-status-in_progress")).to_be_visible()
    expect(page.locator("#production-progress")).to_contain_text("1 of")

    # A stage can be flagged as blocked by hand.
    filming = page.locator("section", has=page.get_by_role("heading", name="Filming"))
    filming.get_by_label("Status").select_option(label="Blocked")
    # Choosing is not enough (arrow keys would save every status on the way):
    # the choice is confirmed with Set.
    expect(filming.locator("select.stage-status-not_started")).to_be_visible()
    filming.get_by_role("button", name="Set", exact=True).click()
    expect(filming.locator("select.stage-status-blocked")).to_be_visible()

    # Add an item; an empty title is refused with a message.
    concept.get_by_role("button", name="Add").click()
    expect(concept.get_by_text("This field is required.")).to_be_visible()
    concept.get_by_placeholder("Add an item…").fill("Book the drone operator")
    concept.get_by_role("button", name="Add").click()
    new_item = concept.locator("li", has_text="Book the drone operator")
    expect(new_item).to_be_visible()
    expect(concept.get_by_text("1 of 5 done")).to_be_visible()
    expect(concept.get_by_placeholder("Add an item…")).to_have_value("")

    # Edit it: assign Lia and a due date.
    new_item.get_by_role("link", name="Edit").click()
    editor = concept.locator("li", has=page.get_by_role("button", name="Save"))
    editor.get_by_label("Assignee").select_option(label="Lia Chen (Choreographer)")
    editor.get_by_label("Due date").fill("2027-03-05")
    editor.get_by_role("button", name="Save").click()
    expect(new_item).to_contain_text("Lia Chen")
    expect(new_item).to_contain_text("due 5 Mar 2027")

    # Delete another item, after confirming.
    doomed = concept.locator("li", has_text="Build the moodboard")
    doomed.get_by_role("link", name="Delete").click()
    expect(concept.get_by_text("Delete “Build the moodboard”?")).to_be_visible()
    concept.get_by_role("button", name="Delete", exact=True).click()
    expect(concept.get_by_text("Moved “Build the moodboard” to the trash.")).to_be_visible()
    expect(concept.get_by_text("1 of 4 done")).to_be_visible()
    # Focus moves on to the next row, with Undo one Shift+Tab back; Undo
    # brings the item back in place.
    expect(concept.get_by_role("button", name="Undo")).not_to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(concept.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Enter")
    expect(concept.get_by_role("button", name="Mark as done: Build the moodboard")).to_be_visible()
    expect(concept.get_by_text("1 of 5 done")).to_be_visible()

    # Assign crew.
    # The forms (the whole directory) come when asked for, focus on the first field.
    page.locator("#crew").get_by_role("link", name="Assign or add crew…").click()
    crew = page.locator("#crew")
    expect(crew.get_by_label("Crew member")).to_be_focused()
    crew.get_by_label("Crew member").select_option(label="Lia Chen (Choreographer)")
    crew.get_by_role("button", name="Assign").click()
    expect(crew.locator("li", has_text="Lia Chen")).to_contain_text("Choreographer")

    assert page.evaluate("window.noReload") is True

    # Download the checklist.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("neon-nights-checklist")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["ID", "Production", "Stage"]
    assert rows[0][7] == "Item"
    drone = next(row for row in rows if row[7] == "Book the drone operator")
    at = [rows[0].index(label) for label in ("Assignee", "Role", "Due")]
    assert [drone[n] for n in at] == ["Lia Chen", "Choreographer", "2027-03-05"]

    assert ChecklistItem.objects.filter(done=True).count() == 1
    assert Stage.objects.get(name="Filming").status == Stage.Status.BLOCKED
    assert console_errors == []
