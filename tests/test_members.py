"""A production's members page: who may see it, who may change it, and the
rule that a production always keeps a manager."""

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertFormError, assertNotContains

from productions import services
from productions.models import Activity, Membership
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, MembershipFactory, UserFactory

Level = Membership.Level
LAST_MANAGER = "A production needs at least one manager: make someone else a manager first."
NOT_FOUND = "No one with that name or username. To invite someone new, enter their email."


def members_url(production):
    return f"/productions/{production.slug}/members/"


def add_url(production):
    return f"/productions/{production.slug}/members/add/"


def membership_of(user, production):
    return Membership.objects.get(user=user, production=production)


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


# Changing levels


def test_a_manager_changes_a_members_level(manager, editor, production):
    membership = membership_of(editor, production)

    response = client_for(manager).post(
        f"/members/{membership.pk}/level/", {"level": Level.VIEWER}, follow=True
    )

    assertContains(response, "eddie is now viewer.")
    assert membership_of(editor, production).level == Level.VIEWER
    entry = Activity.objects.get(kind=Activity.Kind.MEMBER_CHANGED)
    assert (entry.actor, entry.subject) == (manager, "eddie")
    assert entry.changes == {"level": ["Editor", "Viewer"]}


def test_saving_the_same_level_changes_and_logs_nothing(manager, editor, production):
    membership = membership_of(editor, production)

    response = client_for(manager).post(f"/members/{membership.pk}/level/", {"level": Level.EDITOR})

    assert response.status_code == 302
    assert not Activity.objects.filter(kind=Activity.Kind.MEMBER_CHANGED).exists()


@pytest.mark.parametrize("level", ["", "99", "manager"])
def test_an_unknown_level_is_refused_next_to_the_control(manager, editor, production, level):
    membership = membership_of(editor, production)

    response = client_for(manager).post(f"/members/{membership.pk}/level/", {"level": level})

    assertContains(response, "Choose viewer, editor or manager.", status_code=422)
    assert membership_of(editor, production).level == Level.EDITOR


def test_htmx_level_change_answers_the_members_fragment(manager, editor, production):
    membership = membership_of(editor, production)

    response = client_for(manager).post(
        f"/members/{membership.pk}/level/", {"level": Level.MANAGER}, **HTMX
    )

    assert response.status_code == 200
    assertContains(response, 'id="members"')
    assertNotContains(response, "<html")
    assert membership_of(editor, production).level == Level.MANAGER


def test_a_level_change_takes_effect_on_the_members_next_request(manager, editor, production):
    item = ChecklistItemFactory(stage__production=production)
    as_editor = client_for(editor)
    assert as_editor.post(f"/items/{item.pk}/toggle/", {"done": "1"}).status_code == 302

    membership = membership_of(editor, production)
    client_for(manager).post(f"/members/{membership.pk}/level/", {"level": Level.VIEWER})

    # Same session, no new login: access is looked up on every request.
    assert as_editor.post(f"/items/{item.pk}/toggle/", {"done": ""}).status_code == 403
    item.refresh_from_db()
    assert item.done


def test_a_removal_takes_effect_on_the_members_next_request(manager, editor, production):
    as_editor = client_for(editor)
    assert as_editor.get(members_url(production)).status_code == 200

    membership = membership_of(editor, production)
    client_for(manager).post(f"/members/{membership.pk}/remove/")

    assert as_editor.get(members_url(production)).status_code == 404
    assert as_editor.get(f"/productions/{production.slug}/").status_code == 404


# The last manager


def test_the_last_manager_cannot_be_demoted(manager, editor, production):
    membership = membership_of(manager, production)

    response = client_for(manager).post(f"/members/{membership.pk}/level/", {"level": Level.EDITOR})

    assertContains(response, LAST_MANAGER, status_code=422)
    assertContains(response, f'id="member-{membership.pk}-error"', status_code=422)
    assert membership_of(manager, production).level == Level.MANAGER
    assert not Activity.objects.filter(kind=Activity.Kind.MEMBER_CHANGED).exists()


def test_the_last_manager_cannot_be_removed(manager, production, staff):
    membership = membership_of(manager, production)

    # Not even by staff, who are managers without being members.
    response = client_for(staff).post(f"/members/{membership.pk}/remove/")

    assertContains(response, LAST_MANAGER, status_code=422)
    assert membership_of(manager, production)


def test_htmx_last_manager_refusal_answers_422_with_the_fragment(manager, production):
    membership = membership_of(manager, production)
    client = client_for(manager)

    demote = client.post(f"/members/{membership.pk}/level/", {"level": Level.VIEWER}, **HTMX)
    remove = client.post(f"/members/{membership.pk}/remove/", **HTMX)

    for response in (demote, remove):
        assertContains(response, LAST_MANAGER, status_code=422)
        assertContains(response, 'id="members"', status_code=422)
        assertNotContains(response, "<html", status_code=422)


def test_the_services_refuse_to_leave_a_production_without_a_manager(manager, production):
    membership = membership_of(manager, production)

    with pytest.raises(ValidationError, match="at least one manager"):
        services.change_level(membership, by=manager, level=Level.VIEWER)
    with pytest.raises(ValidationError, match="at least one manager"):
        services.remove_member(membership, by=manager)

    assert membership_of(manager, production).level == Level.MANAGER
    assert not Activity.objects.filter(kind__startswith="member_").exists()


def test_a_manager_may_step_down_once_there_is_another(manager, editor, production):
    services.change_level(membership_of(editor, production), by=manager, level=Level.MANAGER)

    response = client_for(manager).post(
        f"/members/{membership_of(manager, production).pk}/level/",
        {"level": Level.VIEWER},
        **HTMX,
    )

    # The answer already reflects their new level: no more controls.
    assert response.status_code == 200
    assertNotContains(response, "Add member")
    assert membership_of(manager, production).level == Level.VIEWER


# Removing


def test_removing_without_js_asks_for_confirmation_first(manager, editor, production):
    membership = membership_of(editor, production)

    response = client_for(manager).get(f"/members/{membership.pk}/remove/")

    assertContains(response, "Remove eddie from Neon Nights?")
    assertContains(response, '<button type="submit" class="btn btn-danger">Remove eddie</button>')
    assert membership_of(editor, production)


def test_the_remove_button_asks_with_hx_confirm(manager, editor, production):
    response = client_for(manager).get(members_url(production))

    assertContains(response, 'hx-confirm="Remove eddie from Neon Nights?"')


def test_a_manager_removes_a_member(manager, editor, production):
    membership = membership_of(editor, production)

    response = client_for(manager).post(f"/members/{membership.pk}/remove/", follow=True)

    assertContains(response, "Removed eddie from Neon Nights.")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    editor.refresh_from_db()  # Their login stays.
    entry = Activity.objects.get(kind=Activity.Kind.MEMBER_REMOVED)
    assert (entry.actor, entry.subject, entry.changes) == (manager, "eddie", {"level": "Editor"})


def test_htmx_removal_answers_the_table_without_the_member(manager, editor, production):
    membership = membership_of(editor, production)

    response = client_for(manager).post(f"/members/{membership.pk}/remove/", **HTMX)

    assert response.status_code == 200
    assertNotContains(response, f'id="member-{membership.pk}"')
    assertContains(response, "Removed eddie from Neon Nights.")


def test_removing_yourself_sends_you_to_the_production_list(manager, editor, production):
    services.change_level(membership_of(editor, production), by=manager, level=Level.MANAGER)
    membership = membership_of(manager, production)
    client = client_for(manager)

    plain = client.post(f"/members/{membership.pk}/remove/")

    assert plain.status_code == 302
    assert plain["Location"] == "/productions/"
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_yourself_over_htmx_redirects_the_whole_page(manager, editor, production):
    services.change_level(membership_of(editor, production), by=manager, level=Level.MANAGER)
    membership = membership_of(manager, production)

    response = client_for(manager).post(f"/members/{membership.pk}/remove/", **HTMX)

    assert response["HX-Redirect"] == "/productions/"


def test_removing_someone_just_removed_is_a_404(manager, editor, production):
    membership = membership_of(editor, production)
    services.remove_member(membership, by=manager)

    with pytest.raises(Exception, match="just removed"):
        services.remove_member(membership, by=manager)
    assert client_for(manager).post(f"/members/{membership.pk}/remove/").status_code == 404


def test_member_services_write_their_activity_in_the_same_transaction(manager, production):
    newcomer = UserFactory(username="sam")

    membership = services.add_member(production, by=manager, user=newcomer, level=Level.VIEWER)
    services.change_level(membership, by=manager, level=Level.EDITOR)
    services.remove_member(membership, by=manager)

    kinds = list(
        Activity.objects.filter(production=production, subject="sam")
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["member_added", "member_changed", "member_removed"]


def test_add_member_refuses_someone_already_in(manager, production):
    with pytest.raises(ValidationError, match="mina is already a member"):
        services.add_member(production, by=manager, user=manager, level=Level.VIEWER)


@pytest.mark.django_db(transaction=True)
def test_two_managers_demoting_each_other_at_once_leave_one_manager():
    """The services lock the production row first, so the last-manager check
    of the second change sees the first one (PostgreSQL: SQLite has no row locks)."""
    from threading import Barrier, Thread

    from django.db import connection, transaction

    from productions.services.productions import _lock
    from tests.factories import ProductionFactory

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions")
    production = ProductionFactory()
    first, second = (
        MembershipFactory(production=production, level=Level.MANAGER) for _ in range(2)
    )
    ready, outcomes = Barrier(3), []

    def demote(membership):
        try:
            ready.wait()
            services.change_level(membership, by=membership.user, level=Level.VIEWER)
            outcomes.append("demoted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [Thread(target=demote, args=(m,)) for m in (first, second)]
    with transaction.atomic():
        _lock(production.pk)  # Hold the row so both changes start together.
        for thread in threads:
            thread.start()
        ready.wait()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == ["demoted", "refused"]
    assert production.memberships.filter(level=Level.MANAGER).count() == 1
