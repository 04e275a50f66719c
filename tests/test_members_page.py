"""A production's members page: who may see it and its controls, who may
change members, and adding someone. Changing levels, the rule that a
production always keeps a manager, and removing are in
tests/test_member_levels_and_removal.py."""

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertFormError, assertNotContains

from productions import services
from productions.models import Activity, Membership
from tests.conftest import HTMX, client_for
from tests.factories import MembershipFactory, UserFactory
from tests.memberships import add_url, members_url, membership_of

Level = Membership.Level
NOT_FOUND = "No one with that name or username. To invite someone new, enter their email."


# Seeing the list


@pytest.mark.parametrize("who", ["manager", "editor", "viewer", "staff"])
def test_every_member_sees_the_members_and_their_levels(cast, production, who):
    response = client_for(cast[who]).get(members_url(production))

    assertContains(response, "Members of Neon Nights")
    for username, level in [("mina", "Manager"), ("eddie", "Editor"), ("vera", "Viewer")]:
        assertContains(response, username)
        assertContains(response, level)


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_only_managers_see_the_member_controls(cast, production, who):
    editor_membership = membership_of(cast["editor"], production)

    as_member = client_for(cast[who]).get(members_url(production))
    as_manager = client_for(cast["manager"]).get(members_url(production))

    for control in ["Add member", f"/members/{editor_membership.pk}/level/", "Remove"]:
        assertNotContains(as_member, control)
        assertContains(as_manager, control)


def test_every_control_on_the_members_page_is_labelled(manager, editor, production):
    membership = membership_of(editor, production)

    response = client_for(manager).get(members_url(production))

    assertContains(response, f'<label class="visually-hidden" for="member-{membership.pk}-level">')
    assertContains(response, 'for="add-member-who"')
    assertContains(response, "Name, username or email")
    assertContains(response, 'for="add-member-level"')


def test_an_outsider_cannot_tell_the_members_page_exists(outsider, production):
    assert client_for(outsider).get(members_url(production)).status_code == 404


def test_the_members_page_needs_a_login(client, production):
    response = client.get(members_url(production))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_members_page_answers_the_table_alone_to_htmx(manager, production):
    response = client_for(manager).get(members_url(production), **HTMX)

    assertContains(response, 'id="members"')
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]


def test_the_members_page_makes_a_fixed_number_of_queries(
    manager, editor, viewer, production, django_assert_num_queries
):
    for n in range(5):
        MembershipFactory(production=production, user=UserFactory(username=f"extra{n}"))
    client = client_for(manager)

    with django_assert_num_queries(4):
        # 1. the session
        # 2. the logged-in user
        # 3. the production, with the user's level on it (access.get_production_for_user)
        # 4. its members, with their users (select_related)
        response = client.get(members_url(production))

    assertContains(response, "extra4")


# Who may change members


@pytest.fixture
def writes(production, editor):
    """Every member write, as (url, data), aimed at the editor's membership."""
    membership = membership_of(editor, production)
    return [
        (add_url(production), {"who": "newbie@example.com", "level": Level.VIEWER}),
        (f"/members/{membership.pk}/level/", {"level": Level.VIEWER}),
        (f"/members/{membership.pk}/remove/", {}),
        (f"/members/{membership.pk}/resend/", {}),
    ]


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_editors_and_viewers_may_not_change_members(cast, production, writes, who):
    client = client_for(cast[who])

    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
        assert client.post(url, data, **HTMX).status_code == 403, url

    assert membership_of(cast["editor"], production).level == Level.EDITOR
    assert production.memberships.count() == 3
    assert not Activity.objects.filter(kind__startswith="member_").exists()


def test_outsiders_get_404_on_member_writes(production, writes, outsider):
    client = client_for(outsider)

    for url, data in writes:
        assert client.post(url, data).status_code == 404, url

    assert production.memberships.count() == 1


def test_the_remove_confirmation_is_for_managers_only(cast, production):
    membership = membership_of(cast["viewer"], production)
    url = f"/members/{membership.pk}/remove/"

    assert client_for(cast["editor"]).get(url).status_code == 403
    assert client_for(cast["outsider"]).get(url).status_code == 404


def test_member_writes_need_post(manager, editor, production):
    membership = membership_of(editor, production)
    client = client_for(manager)

    assert client.get(add_url(production)).status_code == 405
    assert client.get(f"/members/{membership.pk}/level/").status_code == 405


def test_staff_manage_members_of_productions_they_are_not_in(staff, editor, production):
    membership = membership_of(editor, production)

    response = client_for(staff).post(f"/members/{membership.pk}/level/", {"level": Level.MANAGER})

    assert response.status_code == 302
    assert membership_of(editor, production).level == Level.MANAGER


# Adding


def test_a_manager_adds_an_existing_user_by_username_in_any_case(manager, production):
    newcomer = UserFactory(username="Sam")

    response = client_for(manager).post(
        add_url(production), {"who": "  sAM ", "level": Level.EDITOR}, follow=True
    )

    assertContains(response, "Added Sam as editor.")
    assert membership_of(newcomer, production).level == Level.EDITOR


def test_a_manager_adds_an_existing_user_by_email_in_any_case(manager, production, mailoutbox):
    newcomer = UserFactory(username="sam", email="sam@example.com")

    response = client_for(manager).post(
        add_url(production), {"who": "SAM@Example.com", "level": Level.VIEWER}
    )

    assert response.status_code == 302
    assert response["Location"] == members_url(production)
    assert membership_of(newcomer, production).level == Level.VIEWER
    assert mailoutbox == []  # Someone with a login is added, not invited.


def test_a_manager_adds_an_existing_user_by_a_unique_full_name(manager, production):
    newcomer = UserFactory(username="sam", first_name="Sam", last_name="Jones")

    client_for(manager).post(add_url(production), {"who": "sam  jones", "level": Level.VIEWER})

    assert membership_of(newcomer, production).level == Level.VIEWER


def test_a_full_name_shared_by_two_people_asks_for_more(manager, production):
    UserFactory(username="sam1", first_name="Sam", last_name="Jones")
    UserFactory(username="sam2", first_name="Sam", last_name="Jones")

    response = client_for(manager).post(
        add_url(production), {"who": "Sam Jones", "level": Level.VIEWER}
    )

    assert response.status_code == 422
    assertFormError(
        response.context["form"],
        "who",
        "Several people have that name: enter their username or email instead.",
    )
    assert production.memberships.count() == 1


def test_someone_unknown_without_an_email_is_a_form_error_next_to_the_field(manager, production):
    response = client_for(manager).post(
        add_url(production), {"who": "nobody here", "level": Level.VIEWER}
    )

    assert response.status_code == 422
    assertFormError(response.context["form"], "who", NOT_FOUND)
    assertContains(response, NOT_FOUND, status_code=422)
    assert production.memberships.count() == 1


def test_an_empty_name_is_a_form_error(manager, production):
    response = client_for(manager).post(add_url(production), {"who": " ", "level": Level.VIEWER})

    assert response.status_code == 422
    assertFormError(response.context["form"], "who", "This field is required.")


def test_adding_someone_already_a_member_is_refused(manager, editor, production):
    response = client_for(manager).post(
        add_url(production), {"who": "eddie", "level": Level.VIEWER}
    )

    assert response.status_code == 422
    assertFormError(
        response.context["form"], "who", "eddie is already a member of this production."
    )
    assert membership_of(editor, production).level == Level.EDITOR


def test_htmx_add_errors_answer_422_with_the_members_fragment(manager, production):
    response = client_for(manager).post(
        add_url(production), {"who": "nobody", "level": Level.VIEWER}, **HTMX
    )

    assertContains(response, NOT_FOUND, status_code=422)
    assertContains(response, 'id="members"', status_code=422)
    assertContains(response, 'aria-invalid="true"', status_code=422)
    assertNotContains(response, "<html", status_code=422)


def test_htmx_add_answers_the_new_table_and_the_message(manager, production):
    UserFactory(username="sam")

    response = client_for(manager).post(
        add_url(production), {"who": "sam", "level": Level.EDITOR}, **HTMX
    )

    assert response.status_code == 200
    assertContains(response, 'id="members"')
    assertContains(response, '<div id="messages" hx-swap-oob="true">')
    assertContains(response, "Added sam as editor.")
    assertNotContains(response, "<html")


def test_adding_a_member_is_logged(manager, production):
    UserFactory(username="sam")

    client_for(manager).post(add_url(production), {"who": "sam", "level": Level.EDITOR})

    entry = Activity.objects.get(kind=Activity.Kind.MEMBER_ADDED)
    assert (entry.production, entry.actor, entry.subject) == (production, manager, "sam")
    assert entry.changes == {"level": "Editor"}


def test_add_member_refuses_someone_already_in(manager, production):
    with pytest.raises(ValidationError, match="mina is already a member"):
        services.add_member(production, by=manager, user=manager, level=Level.VIEWER)
