"""Changing a member's level and removing a member, and the rule that a
production always keeps a manager (the members page and adding someone are
in tests/test_members_page.py)."""

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertNotContains

from productions import services
from productions.models import Activity, Membership
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, MembershipFactory, UserFactory
from tests.memberships import members_url, membership_of

Level = Membership.Level
LAST_MANAGER = "A production needs at least one manager: make someone else a manager first."


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


@pytest.mark.django_db(transaction=True)
def test_two_managers_demoting_each_other_at_once_leave_one_manager():
    """The services lock the production row first, so the last-manager check
    of the second change sees the first one (PostgreSQL: SQLite has no row locks)."""
    from threading import Barrier, Thread

    from django.db import connection, transaction

    from productions.services.locks import lock_production
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
        lock_production(production.pk)  # Hold the row so both changes start together.
        for thread in threads:
            thread.start()
        ready.wait()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == ["demoted", "refused"]
    assert production.memberships.filter(level=Level.MANAGER).count() == 1
