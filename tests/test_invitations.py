"""Inviting someone new by email, and the one-time link they join with."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from productions import services
from productions.models import Activity, Membership
from tests.conftest import HTMX, client_for
from tests.factories import ProductionFactory, UserFactory

Level = Membership.Level
User = get_user_model()
NEW_PASSWORD = "stage-left-42-lights"


def add_url(production):
    return f"/productions/{production.slug}/members/add/"


def invite(manager, production, email="New.Person@Example.com", level=Level.EDITOR, **headers):
    return client_for(manager).post(add_url(production), {"who": email, "level": level}, **headers)


def link_in(message):
    match = re.search(r"http://testserver(/invite/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invited(manager, production, mailoutbox, django_capture_on_commit_callbacks):
    """The invitee, and the path of the link in their email."""
    with django_capture_on_commit_callbacks(execute=True):
        invite(manager, production, "new.person@example.com")
    return User.objects.get(email="new.person@example.com"), link_in(mailoutbox[-1])


def accept(client, link, password=NEW_PASSWORD):
    """Open the link, then set the password on the page it leads to."""
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_inviting_an_unknown_email_creates_a_login_and_a_membership(
    manager, production, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(manager, production, "New.Person@Example.com")

    assert response.status_code == 302
    user = User.objects.get(email__iexact="new.person@example.com")
    assert user.email == "New.Person@example.com"  # The domain is normalized.
    assert user.username == "New.Person"
    assert not user.has_usable_password()
    assert user.last_login is None
    assert Membership.objects.get(user=user, production=production).level == Level.EDITOR
    entry = Activity.objects.get(kind=Activity.Kind.MEMBER_ADDED)
    assert (entry.actor, entry.subject) == (manager, "New.Person")
    assert entry.changes == {"level": "Editor", "invited": True}


def test_the_invitation_email_names_the_production_and_who_invited(
    manager, production, mailoutbox, django_capture_on_commit_callbacks
):
    manager.first_name, manager.last_name = "Mina", "Park"
    manager.save()

    with django_capture_on_commit_callbacks(execute=True):
        invite(manager, production, "new.person@example.com")

    [message] = mailoutbox
    assert message.to == ["new.person@example.com"]
    assert message.subject == "Mina Park invited you to Neon Nights on BTS Tracker"
    assert 'Mina Park invited you to join "Neon Nights"' in message.body
    assert "Your username is new.person." in message.body
    assert link_in(message).startswith("/invite/")


def test_the_manager_is_told_the_invitation_went_out(
    manager, production, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            add_url(production), {"who": "sam@example.com", "level": Level.VIEWER}, follow=True
        )

    assertContains(response, "Invited sam@example.com as viewer")
    assertContains(response, "Invited: has not set a password yet")


def test_an_invited_username_is_made_unique(
    manager, production, django_capture_on_commit_callbacks
):
    UserFactory(username="sam")
    UserFactory(username="SAM2")

    with django_capture_on_commit_callbacks(execute=True):
        invite(manager, production, "sam@example.com")

    assert User.objects.get(email="sam@example.com").username == "sam3"


def test_htmx_invitation_answers_the_members_fragment(
    manager, production, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(manager, production, "sam@example.com", **HTMX)

    assertContains(response, 'id="members"')
    assertContains(response, "Invited sam@example.com")
    assert len(mailoutbox) == 1


def test_an_invalid_email_invites_nobody(manager, production, mailoutbox):
    response = invite(manager, production, "sam@example")

    assert response.status_code == 422
    assert not User.objects.filter(username="sam").exists()
    assert mailoutbox == []


def test_a_rolled_back_invitation_sends_nothing(
    manager, production, mailoutbox, rf, django_capture_on_commit_callbacks
):
    def invite_then_fail():
        with transaction.atomic():
            services.invite_member(
                production,
                by=manager,
                email="sam@example.com",
                level=Level.VIEWER,
                request=rf.get("/"),
            )
            raise RuntimeError("something later in the same transaction failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        invite_then_fail()

    assert mailoutbox == []
    assert not User.objects.filter(email="sam@example.com").exists()


def test_the_invitation_link_sets_the_password_and_logs_in(invited, production):
    user, link = invited
    client = Client()

    # The token leaves the address bar before the page is shown.
    response = client.get(link)
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    assertContains(client.get(form_url), "Your username is <strong>new.person</strong>")

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # Straight to the production they were invited to, logged in.
    assertRedirects(response, f"/productions/{production.slug}/", fetch_redirect_response=False)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    assertContains(client.get(response["Location"]), "Welcome! Your password is set")


def test_an_invitee_of_several_productions_lands_on_the_list(invited, manager):
    user, link = invited
    other = ProductionFactory()
    services.add_member(other, by=manager, user=user, level=Level.VIEWER)

    response = accept(Client(), link)

    assertRedirects(response, "/productions/")


def test_the_invitation_link_works_only_once(invited):
    _, link = invited
    accept(Client(), link)

    response = Client().get(link)

    assertContains(response, "This invitation link does not work")
    assertContains(response, "It may have been used already")
    assert response.context["form"] is None


def test_the_invitation_link_cannot_be_reused_in_the_same_browser(invited):
    user, link = invited
    client = Client()
    response = client.get(link)
    form_url = response["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.post(
        form_url, {"new_password1": "x-other-1234", "new_password2": "x-other-1234"}
    )

    assertContains(again, "This invitation link does not work")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_invitation_applies_the_password_validators(invited):
    user, link = invited
    client = Client()

    response = accept(client, link, password="12345678")

    assert response.status_code == 200
    form = response.context["form"]
    assert "This password is too common." in form.errors["new_password2"]
    assert "This password is entirely numeric." in form.errors["new_password2"]
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("!!!", "abc-def"),  # Not base64.
        ("_w", "abc-def"),  # Decodes to bytes that are not UTF-8.
        ("YWJj", "abc-def"),  # "abc": not a number.
        ("OTk5OTk5", "abc-def"),  # 999999: nobody.
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "abc-def"),  # Too big for the column.
        ("MQ", "not-a-token"),
        ("MQ", "set-password"),  # The form's address, without the token in the session.
    ],
)
def test_a_malformed_invitation_link_shows_a_clear_page(db, uidb64, token):
    response = Client().get(f"/invite/{uidb64}/{token}/")

    assertContains(response, "This invitation link does not work")


def test_a_tampered_token_does_not_work(invited):
    _, link = invited
    uidb64, token = link.strip("/").split("/")[1:]

    response = Client().get(f"/invite/{uidb64}/{token[:-1]}x/")

    assertContains(response, "This invitation link does not work")


def test_the_invitation_page_needs_no_login(invited):
    _, link = invited

    assert Client().get(link).status_code == 302  # To the form, not to the login page.
    assert not Client().get(link)["Location"].startswith("/login/")


def test_a_manager_resends_an_invitation(
    invited, manager, production, mailoutbox, django_capture_on_commit_callbacks
):
    user, _ = invited
    membership = Membership.objects.get(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(f"/members/{membership.pk}/resend/", follow=True)

    assertContains(response, "Sent the invitation to new.person@example.com again.")
    assert len(mailoutbox) == 2
    accept(Client(), link_in(mailoutbox[-1]))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_resending_an_invitation_makes_the_earlier_link_stop_working(
    invited, manager, mailoutbox, django_capture_on_commit_callbacks
):
    user, old_link = invited
    membership = Membership.objects.get(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(f"/members/{membership.pk}/resend/")

    new_link = link_in(mailoutbox[-1])
    assert new_link != old_link
    response = Client().get(old_link)
    assertContains(response, "This invitation link does not work")
    user.refresh_from_db()
    assert not user.has_usable_password()
    accept(Client(), new_link)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_no_resending_once_the_invitation_is_accepted(invited, manager, mailoutbox):
    user, link = invited
    accept(Client(), link)
    membership = Membership.objects.get(user=user)

    response = client_for(manager).post(f"/members/{membership.pk}/resend/")

    assertContains(response, "new.person has already set a password.", status_code=422)
    assert len(mailoutbox) == 1


def test_a_failing_mail_server_does_not_undo_the_invitation(
    manager, production, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("productions.services.members.send_mail", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(manager, production, "sam@example.com")

    # Saved, and shown with "Resend invitation" so the manager can try again.
    assert response.status_code == 302
    assert Membership.objects.filter(production=production, user__email="sam@example.com")


def test_the_service_does_not_invite_an_email_that_already_has_a_login(manager, production, rf):
    UserFactory(username="sam", email="sam@example.com")

    with pytest.raises(ValidationError, match="already has a login with that email"):
        services.invite_member(
            production, by=manager, email="SAM@example.com", level=Level.VIEWER, request=rf.get("/")
        )
    assert User.objects.filter(email__iexact="sam@example.com").count() == 1


def test_resending_an_invitation_is_in_the_activity_log(
    invited, manager, production, django_capture_on_commit_callbacks
):
    user, _ = invited
    membership = Membership.objects.get(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(f"/members/{membership.pk}/resend/")

    entry = Activity.objects.filter(production=production).latest("pk")
    assert (entry.kind, entry.actor, entry.subject) == (
        Activity.Kind.INVITATION_RESENT,
        manager,
        user.get_username(),
    )
