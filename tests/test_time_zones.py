"""Dates and times in the user's own time zone."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from productions import services
from productions.models import Profile
from tests.conftest import client_for
from tests.factories import ChecklistItemFactory, StageFactory


@pytest.fixture
def ticked(production, editor):
    item = ChecklistItemFactory(stage=StageFactory(production=production))
    item = services.set_item_done(item, True, by=editor)
    moment = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.UTC)
    type(item).objects.filter(pk=item.pk).update(done_at=moment)
    return item


def test_a_user_picks_a_time_zone_and_times_show_in_it(production, editor, ticked):
    client = client_for(editor)

    response = client.post("/me/", {"time_zone": "Asia/Tokyo"})

    assertRedirects(response, "/me/")
    assert Profile.objects.get(user=editor).time_zone == "Asia/Tokyo"
    # 23:30 UTC is 08:30 the next morning in Tokyo.
    assertContains(client.get(f"/productions/{production.slug}/"), "27 Nov, 08:30")


def test_an_unknown_time_zone_is_refused_next_to_the_field(editor):
    response = client_for(editor).post("/me/", {"time_zone": "Mars/Olympus"})

    assert response.status_code == 422
    assert "time_zone" in response.context["form"].errors


def test_the_browsers_guess_is_kept_only_when_none_was_chosen(editor):
    client = client_for(editor)

    assert client.post("/me/time-zone/", {"time_zone": "Europe/Paris"}).status_code == 204
    assert Profile.objects.get(user=editor).time_zone == "Europe/Paris"
    services.set_time_zone(editor, "America/New_York", by=editor)
    client.post("/me/time-zone/", {"time_zone": "Europe/Paris"})
    assert Profile.objects.get(user=editor).time_zone == "America/New_York"


@pytest.mark.parametrize("bad", ["", "Nowhere/Else", "../../etc/passwd", "x" * 500])
def test_a_bad_browser_guess_is_a_400(editor, bad):
    assert client_for(editor).post("/me/time-zone/", {"time_zone": bad}).status_code == 400


def test_the_zone_is_remembered_at_the_next_login(production, editor, ticked):
    services.set_time_zone(editor, "Asia/Tokyo", by=editor)

    response = client_for(editor).get(f"/productions/{production.slug}/")

    assertContains(response, "27 Nov, 08:30")


def test_pages_ask_the_browser_for_its_zone_only_until_one_is_known(editor):
    client = client_for(editor)
    assertContains(client.get("/me/"), "data-guess-time-zone")

    client.post("/me/time-zone/", {"time_zone": "Europe/Paris"})

    assert "data-guess-time-zone" not in client.get("/me/").content.decode()


def test_without_a_zone_times_show_in_the_sites_zone(production, editor, ticked, settings):
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    assertContains(client_for(editor).get(f"/productions/{production.slug}/"), "26 Nov, 23:30")
