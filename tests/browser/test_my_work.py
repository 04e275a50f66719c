"""My work in a real browser: my items by when they are due, ticked and
rescheduled right there."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from productions.models import ChecklistItem, Membership
from tests.factories import (
    ChecklistItemFactory,
    CrewMemberFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def week_group(n):
    """The group of an item due in n > 0 days: this week runs to Sunday."""
    return "This week" if n <= 6 - timezone.localdate().weekday() else "Later"


def test_a_crew_member_sees_ticks_and_reschedules_their_items(
    page, live_server, log_in, console_errors
):
    lia = UserFactory(username="lia")
    me = CrewMemberFactory(name="Lia Chen", user=lia)
    neon = ProductionFactory(title="Neon Nights", slug="neon-nights")
    tour = ProductionFactory(title="Summer Tour", slug="summer-tour")
    for production in (neon, tour):
        MembershipFactory(production=production, user=lia, level=Membership.Level.EDITOR)
    wardrobe = StageFactory(production=neon, name="Wardrobe")
    soundcheck = StageFactory(production=tour, name="Soundcheck")
    ChecklistItemFactory(stage=wardrobe, assignee=me, title="Fit the jackets", due_date=days(-3))
    ChecklistItemFactory(stage=soundcheck, assignee=me, title="Tune the drums", due_date=days(-1))
    ChecklistItemFactory(stage=soundcheck, assignee=me, title="Book the van", due_date=days(1))
    ChecklistItemFactory(stage=wardrobe, title="Somebody else's", due_date=days(-3))

    log_in(lia, "/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    page.evaluate("window.noReload = true")

    def group(label):
        return page.get_by_role("region", name=label)

    overdue = group("Overdue")
    expect(overdue.get_by_role("link", name="Fit the jackets", exact=True)).to_be_visible()
    expect(overdue.get_by_role("link", name="Tune the drums", exact=True)).to_be_visible()
    expect(overdue.get_by_role("listitem").filter(has_text="Fit the jackets")).to_contain_text(
        "Neon Nights · Wardrobe"
    )
    expect(overdue).to_contain_text("3 days overdue")
    expect(overdue).to_contain_text("Summer Tour · Soundcheck")
    expect(
        group(week_group(1)).get_by_role("link", name="Book the van", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("Somebody else's")).to_have_count(0)
    # My productions in progress, with their progress.
    expect(page.get_by_role("progressbar", name="Neon Nights progress")).to_be_visible()

    # Tick one, in place.
    overdue.get_by_role("button", name="Mark as done: Fit the jackets").click()
    expect(overdue.get_by_role("button", name="Mark as not done: Fit the jackets")).to_be_focused()
    assert ChecklistItem.objects.get(title="Fit the jackets").done

    # Reschedule another, in place: its row says the new date, focus stays on it.
    row = overdue.get_by_role("listitem").filter(has_text="Tune the drums")
    row.get_by_text("Reschedule").click()
    new_date = days(2)
    row.get_by_label("New due date for Tune the drums").fill(new_date.isoformat())
    row.get_by_role("button", name="Save date").click()
    expect(row).not_to_contain_text("overdue")
    expect(row).to_contain_text(f"due {new_date.day} {new_date:%b}")
    expect(row.get_by_text("Reschedule")).to_be_focused()
    assert ChecklistItem.objects.get(title="Tune the drums").due_date == new_date
    assert page.evaluate("window.noReload") is True

    # A reload files them afresh: the done item is gone, the other moved group.
    page.reload()
    expect(page.get_by_role("link", name="Fit the jackets", exact=True)).to_have_count(0)
    expect(group("Overdue").get_by_role("link", name="Tune the drums", exact=True)).to_have_count(0)
    expect(
        group(week_group(2)).get_by_role("link", name="Tune the drums", exact=True)
    ).to_be_visible()
    assert console_errors == []


def test_show_more_brings_the_next_rows_of_a_group_and_the_keyboard_follows(
    page, live_server, log_in, console_errors
):
    lia = UserFactory(username="lia")
    me = CrewMemberFactory(name="Lia Chen", user=lia)
    neon = ProductionFactory(title="Neon Nights", slug="neon-nights")
    MembershipFactory(production=neon, user=lia, level=Membership.Level.EDITOR)
    wardrobe = StageFactory(production=neon, name="Wardrobe")
    for n in range(15):
        ChecklistItemFactory(
            stage=wardrobe, assignee=me, title=f"Task {n:02}", due_date=days(400 + n)
        )

    log_in(lia, "/")
    page.evaluate("window.noReload = true")
    later = page.get_by_role("region", name="Later")
    expect(later.get_by_role("link", name="Task 09", exact=True)).to_be_visible()
    expect(later.get_by_role("link", name="Task 10", exact=True)).to_have_count(0)

    more = later.get_by_role("link", name="Show more of Later")
    more.focus()
    page.keyboard.press("Enter")
    expect(later.get_by_role("link", name="Task 10", exact=True)).to_be_focused()
    expect(later.get_by_role("link", name="Task 14", exact=True)).to_be_visible()
    expect(later.get_by_role("link", name="Show more of Later")).to_have_count(0)

    assert page.evaluate("window.noReload") is True
    assert console_errors == []
