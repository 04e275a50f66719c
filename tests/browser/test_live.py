"""Live updates and long stages, in real browsers."""

import pytest
from playwright.sync_api import expect

from productions import services
from productions.models import ChecklistItem, Membership
from productions.queries import ITEM_WINDOW
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()


@pytest.fixture
def production(db):
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    for username in ("eddie", "fran"):
        MembershipFactory(
            production=production,
            user=UserFactory(username=username),
            level=Membership.Level.EDITOR,
        )
    return production


def test_a_teammates_tick_shows_up_without_losing_what_i_type(
    browser, browser_type_launch_args, live_server, production
):
    stage = StageFactory(production=production, name="Wardrobe")
    ChecklistItemFactory(stage=stage, title="Fit the jackets", position=1)
    ChecklistItemFactory(stage=stage, title="Call the tailor", position=2)
    mine, theirs = browser.new_context(), browser.new_context()
    me, teammate = mine.new_page(), theirs.new_page()
    log_in(me, live_server, "eddie")
    log_in(teammate, live_server, "fran")
    me.goto(f"{live_server.url}/productions/neon-nights/")
    teammate.goto(f"{live_server.url}/productions/neon-nights/")
    me.evaluate("window.noReload = true")

    # I start editing one item and type, without saving.
    me.get_by_role("link", name="Edit Call the tailor").click()
    title = me.get_by_label("Title")
    expect(title).to_be_focused()
    title.fill("Call the tailor about the hems")

    # My teammate ticks the other item, and adds one.
    teammate.get_by_role("button", name="Mark as done: Fit the jackets").click()
    expect(teammate.get_by_role("button", name="Mark as not done: Fit the jackets")).to_be_visible()

    # Within 10 s (the page polls every 5 s) I see it, and my text is still there.
    expect(me.get_by_role("button", name="Mark as not done: Fit the jackets")).to_be_visible(
        timeout=12_000
    )
    expect(me.locator("#production-progress")).to_contain_text("1 of 2 items done")
    expect(me.get_by_label("Title")).to_have_value("Call the tailor about the hems")
    assert me.evaluate("window.noReload") is True
    mine.close()
    theirs.close()


def test_scrolling_a_long_stage_loads_more(page, live_server, production):
    stage = StageFactory(production=production, name="Wardrobe")
    count = ITEM_WINDOW * 2 + 5
    for n in range(count):
        ChecklistItemFactory(stage=stage, title=f"Task {n:03}", position=n)
    log_in(page, live_server, "eddie")
    page.goto(f"{live_server.url}/productions/neon-nights/")
    rows = page.locator(f"#stage-{stage.pk}-items > li.list-group-item[id^=item-]")
    expect(rows).to_have_count(ITEM_WINDOW)

    # Scrolling the "Show more" row into view loads the next window, then the last.
    page.get_by_role("link", name="Show more of Wardrobe").scroll_into_view_if_needed()
    expect(rows).to_have_count(ITEM_WINDOW * 2)
    page.get_by_role("link", name="Show more of Wardrobe").scroll_into_view_if_needed()
    expect(rows).to_have_count(count)
    expect(page.get_by_role("link", name="Show more of Wardrobe")).to_have_count(0)


def test_my_own_changes_keep_their_undo_and_my_place_while_the_page_polls(
    page, live_server, production
):
    stage = StageFactory(production=production, name="Wardrobe")
    ChecklistItemFactory(stage=stage, title="Fit the jackets", position=1)
    ChecklistItemFactory(stage=stage, title="Call the tailor", position=2)
    log_in(page, live_server, "eddie")
    page.goto(f"{live_server.url}/productions/neon-nights/")
    page.get_by_role("link", name="Delete Fit the jackets").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    # From the keyboard, straight on: tick the next item.
    page.get_by_role("button", name="Mark as done: Call the tailor").focus()
    page.keyboard.press("Enter")
    tick = page.get_by_role("button", name="Mark as not done: Call the tailor")
    expect(tick).to_be_focused()

    # The next poll brings both changes back (they are the page's own): the
    # Undo notice stays, and the keyboard stays on the tick as its row is replaced.
    with page.expect_response(
        lambda response: "/changes/" in response.url and response.status == 200, timeout=8_000
    ):
        pass
    page.wait_for_timeout(100)  # the answer is placed after it arrives
    expect(undo).to_be_visible()
    expect(tick).to_be_focused()
    undo.click()
    expect(page.get_by_role("button", name="Mark as done: Fit the jackets")).to_be_visible()


def test_a_teammates_moves_arrive_in_place_without_losing_what_i_type(
    page, live_server, production
):
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    casting = StageFactory(production=production, name="Casting", position=2)
    for position, title in enumerate(["Fit the jackets", "Call the tailor", "Steam"], 1):
        ChecklistItemFactory(stage=wardrobe, title=title, position=position)
    log_in(page, live_server, "eddie")
    page.goto(f"{live_server.url}/productions/neon-nights/")
    page.evaluate("window.noReload = true")

    # I start editing an item, and type.
    page.get_by_role("link", name="Edit Fit the jackets").click()
    page.get_by_label("Title").fill("Fit the velvet jackets")

    # A teammate moves another item to Casting, and puts Casting first.
    fran = Membership.objects.get(user__username="fran").user
    tailor = ChecklistItem.objects.get(title="Call the tailor")
    services.move_item(tailor, by=fran, stage=casting)
    services.reorder_stages(production, by=fran, order=[casting.pk, wardrobe.pk])

    def titles(stage_name):
        return page.get_by_role("region", name=stage_name).locator(".item-title")

    # Within 10 s it shows, in place, and my text is still there.
    expect(titles("Casting")).to_have_text(["Call the tailor"], timeout=12_000)
    stage_names = page.locator("#checklist").get_by_role("heading", level=2)
    expect(stage_names).to_have_text(["Casting", "Wardrobe"])
    expect(page.get_by_role("region", name="Casting").get_by_text("0 of 1 done")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Fit the velvet jackets")
    expect(page.get_by_label("Title")).to_be_focused()
    assert page.evaluate("window.noReload") is True
