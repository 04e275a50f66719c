"""Reordering on the production page with buttons: items up and down and to
another stage (in place, no reload), stages up and down; all kept on reload."""

import pytest
from playwright.sync_api import expect

from productions.models import ChecklistItem, Membership, Stage
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_items_and_stages_reorder_with_buttons_and_keep_their_order_on_reload(
    page, live_server, log_in, console_errors
):
    mina = UserFactory(username="mina")
    production = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=production, user=mina, level=Membership.Level.MANAGER)
    wardrobe = StageFactory(production=production, name="Wardrobe", position=1)
    casting = StageFactory(production=production, name="Casting", position=2)
    StageFactory(production=production, name="Filming", position=3)
    for position, title in enumerate(
        ["Fit the jackets", "Call the tailor", "Steam the coats"], start=1
    ):
        ChecklistItemFactory(stage=wardrobe, title=title, position=position)
    ChecklistItemFactory(stage=casting, title="Book the dancers", position=1)
    log_in(mina, "/productions/neon-nights/")
    page.evaluate("window.noReload = true")

    def titles(stage_name):
        return page.get_by_role("region", name=stage_name).locator(".item-title")

    expect(titles("Wardrobe")).to_have_text(
        ["Fit the jackets", "Call the tailor", "Steam the coats"]
    )

    # Up and down, in place; focus stays on the button pressed, on the moved row.
    page.get_by_role("button", name="Move up: Steam the coats").click()
    expect(titles("Wardrobe")).to_have_text(
        ["Fit the jackets", "Steam the coats", "Call the tailor"]
    )
    expect(page.get_by_role("button", name="Move up: Steam the coats")).to_be_focused()
    page.get_by_role("button", name="Move down: Fit the jackets").click()
    expect(titles("Wardrobe")).to_have_text(
        ["Steam the coats", "Fit the jackets", "Call the tailor"]
    )
    expect(page.get_by_role("button", name="Move down: Fit the jackets")).to_be_focused()

    # Move to… another stage (the stage list comes when asked for, with the
    # keyboard in it): it goes last there, and both progress lines move.
    page.get_by_role("link", name="Move “Call the tailor” to another stage").click()
    expect(page.get_by_label("Move “Call the tailor” to", exact=True)).to_be_focused()
    page.get_by_label("Move “Call the tailor” to", exact=True).select_option(label="Casting")
    page.get_by_role("button", name="Move “Call the tailor” to the chosen stage").click()
    expect(titles("Casting")).to_have_text(["Book the dancers", "Call the tailor"])
    expect(titles("Wardrobe")).to_have_text(["Steam the coats", "Fit the jackets"])
    expect(page.get_by_role("region", name="Casting").get_by_text("0 of 2 done")).to_be_visible()
    expect(page.get_by_role("region", name="Wardrobe").get_by_text("0 of 2 done")).to_be_visible()
    assert page.evaluate("window.noReload") is True

    # Stages: ↑ and ↓ (a plain form: the page comes back with the new order).
    stage_names = page.locator("#checklist").get_by_role("heading", level=2)
    expect(stage_names).to_have_text(["Wardrobe", "Casting", "Filming"])
    page.get_by_role("button", name="Move the stage Filming up").click()
    expect(stage_names).to_have_text(["Wardrobe", "Filming", "Casting"])
    page.get_by_role("button", name="Move the stage Wardrobe down").click()
    expect(stage_names).to_have_text(["Filming", "Wardrobe", "Casting"])
    expect(page.get_by_role("button", name="Move the stage Filming up")).to_be_disabled()

    # All of it is kept.
    page.reload()
    expect(stage_names).to_have_text(["Filming", "Wardrobe", "Casting"])
    expect(titles("Wardrobe")).to_have_text(["Steam the coats", "Fit the jackets"])
    expect(titles("Casting")).to_have_text(["Book the dancers", "Call the tailor"])
    assert list(
        Stage.objects.filter(production=production)
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["Filming", "Wardrobe", "Casting"]
    assert ChecklistItem.objects.get(title="Call the tailor").stage == casting
    assert console_errors == []
