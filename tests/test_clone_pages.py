"""Cloning a production, the page (issue 6, capability 7): the form and its
errors, the redirect to the copy, who may clone, and the links on the
production page. The service itself is in tests/test_clone_service.py."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from productions import services
from productions.models import Membership, Production
from tests.clone_source import dated_half_done
from tests.conftest import HTMX, client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def source(production, manager):
    """Neon Nights, dated and half done (see tests/clone_source.py)."""
    return dated_half_done(production, manager)


def url(production):
    return reverse("production_clone", args=[production.slug])


def test_the_clone_page_offers_a_title_and_an_offset(source, editor):
    response = client_for(editor).get(url(source))

    assertContains(response, 'value="Neon Nights (copy)"')
    assertContains(response, 'name="offset_days"')
    assertContains(response, "Neon Nights starts on 10 Mar 2026.")


def test_a_long_title_still_fits_with_copy_after_it(production, editor):
    Production.objects.filter(pk=production.pk).update(title="x" * 200)

    response = client_for(editor).get(url(production))

    assertContains(response, 'value="' + "x" * 193 + ' (copy)"')


def test_cloning_sends_the_browser_to_the_new_production(source, editor):
    client = client_for(editor)

    response = client.post(url(source), {"title": "Encore", "offset_days": "14"})

    copy = Production.objects.get(title="Encore")
    assertRedirects(response, copy.get_absolute_url(), fetch_redirect_response=False)
    assert copy.start_date == D(2026, 3, 24)
    page = client.get(copy.get_absolute_url())
    assertContains(page, "Created Encore as a copy of Neon Nights.")


def test_cloning_with_htmx_redirects_the_page(source, editor):
    response = client_for(editor).post(url(source), {"title": "Encore"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == Production.objects.get(title="Encore").get_absolute_url()


def test_an_empty_offset_keeps_the_dates(source, editor):
    client_for(editor).post(url(source), {"title": "Encore", "offset_days": ""})

    assert Production.objects.get(title="Encore").start_date == D(2026, 3, 10)


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        ("abc", "Enter a whole number."),
        ("1.5", "Enter a whole number."),
        ("99999999999999999999", "less than or equal to 36500"),
        ("-36501", "greater than or equal to -36500"),
    ],
)
def test_a_bad_offset_is_refused_next_to_the_field(source, editor, offset, message):
    productions = Production.all_objects.count()

    response = client_for(editor).post(
        url(source), {"title": "Encore", "offset_days": offset}, **HTMX
    )

    assert response.status_code == 422
    assertContains(response, message, status_code=422)
    assertContains(response, 'id="clone-form"', status_code=422)
    assertNotContains(response, "<html", status_code=422)
    assert Production.all_objects.count() == productions


def test_an_offset_past_the_end_of_the_calendar_is_a_message_not_an_error(source, editor):
    Production.objects.filter(pk=source.pk).update(start_date=D(9990, 1, 1), end_date=D(9990, 1, 2))
    productions = Production.all_objects.count()

    response = client_for(editor).post(url(source), {"title": "Encore", "offset_days": "36500"})

    assertContains(response, "would fall outside the calendar", status_code=422)
    assert Production.all_objects.count() == productions


@pytest.mark.parametrize("title", ["", "   ", "\u200b", "x" * 201])
def test_a_copy_needs_a_title_that_fits(source, editor, title):
    response = client_for(editor).post(url(source), {"title": title, "offset_days": "0"})

    assert response.status_code == 422
    assert not Production.objects.filter(title=title).exists()


def test_a_viewer_may_not_clone(source, viewer):
    client = client_for(viewer)
    productions = Production.all_objects.count()

    assert client.get(url(source)).status_code == 403
    assert client.post(url(source), {"title": "Mine now"}).status_code == 403
    assert Production.all_objects.count() == productions


def test_an_outsider_cannot_tell_the_production_exists(source, outsider):
    client = client_for(outsider)

    assert client.get(url(source)).status_code == 404
    assert client.post(url(source), {"title": "Mine now"}).status_code == 404
    assert not Production.objects.filter(title="Mine now").exists()


def test_a_trashed_production_cannot_be_cloned(source, manager):
    services.delete_production(source, by=manager)

    assert client_for(manager).post(url(source), {"title": "Back"}).status_code == 404


def test_the_production_page_offers_clone_to_editors_and_save_as_template_to_managers(
    source, manager, editor, viewer
):
    clone_link = f'href="{url(source)}"'
    save_link = f'href="{reverse("production_save_template", args=[source.slug])}"'

    as_manager = client_for(manager).get(source.get_absolute_url())
    as_editor = client_for(editor).get(source.get_absolute_url())
    as_viewer = client_for(viewer).get(source.get_absolute_url())

    assertContains(as_manager, clone_link)
    assertContains(as_manager, save_link)
    assertContains(as_editor, clone_link)
    assertNotContains(as_editor, save_link)
    assertNotContains(as_viewer, clone_link)
    assertNotContains(as_viewer, save_link)


def test_staff_may_clone_any_production(source, staff):
    response = client_for(staff).post(url(source), {"title": "Staff copy"})

    copy = Production.objects.get(title="Staff copy")
    assertRedirects(response, copy.get_absolute_url())
    assert copy.memberships.get().user == staff


def test_the_clone_shows_in_the_cloners_list_only(source, editor):
    other = UserFactory(username="olga")
    MembershipFactory(production=source, user=other, level=Membership.Level.MANAGER)

    client_for(editor).post(url(source), {"title": "Encore"})

    assertContains(client_for(editor).get(reverse("production_list")), "Encore")
    assertNotContains(client_for(other).get(reverse("production_list")), "Encore")
