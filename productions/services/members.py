"""Who may use a production: adding, inviting, changing and removing members.

A production always keeps at least one manager: demoting or removing the last
one is refused with a ValidationError, which the view shows next to the control.
Every function locks the production row first, so two managers changing
members at the same moment are serialized and the last-manager check holds.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..exceptions import Gone
from ..models import Membership, Production
from .activity import Kind, log
from .locks import lock_production

Level = Membership.Level

LAST_MANAGER = "A production needs at least one manager: make someone else a manager first."
ALREADY_MEMBER = "{name} is already a member of this production."


def _managers(production_pk):
    return Membership.objects.filter(production_id=production_pk, level=Level.MANAGER)


def _already_member(user):
    return ValidationError(ALREADY_MEMBER.format(name=user.get_username()), code="member")


@transaction.atomic
def add_member(production: Production, *, by: User, user: User, level: int) -> Membership:
    """Give an existing user `level` access to `production`."""
    production = lock_production(production.pk)
    if Membership.objects.filter(production=production, user=user).exists():
        raise _already_member(user)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(production=production, user=user, level=level)
    except IntegrityError:
        # Only reachable if the row appeared without taking the production lock.
        raise _already_member(user) from None
    log(
        production,
        Kind.MEMBER_ADDED,
        by=by,
        subject=user.get_username(),
        changes={"level": Level(level).label},
    )
    return membership


def username_from_email(email: str) -> str:
    """A free username made from the part of `email` before the @ ("jo.smith",
    then "jo.smith2"...), compared case-insensitively like logins are."""
    User = get_user_model()
    max_length = User._meta.get_field(User.USERNAME_FIELD).max_length
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0])[: max_length - 4] or "member"
    lookup = f"{User.USERNAME_FIELD}__istartswith"
    taken = {
        name.lower()
        for name in User._default_manager.filter(**{lookup: base}).values_list(
            User.USERNAME_FIELD, flat=True
        )
    }
    username, n = base, 2
    while username.lower() in taken:
        username, n = f"{base}{n}", n + 1
    return username


def _create_invited_user(email):
    User = get_user_model()
    for _ in range(5):
        user = User(email=email, **{User.USERNAME_FIELD: username_from_email(email)})
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
            return user
        except IntegrityError:
            continue  # Someone took that username meanwhile: pick the next one.
    raise IntegrityError("Could not find a free username.")


def invitation_path(user: User) -> str:
    """The one-time link's path: it works until the invitee sets a password
    (the token covers the password hash and last login) or it times out
    (settings.PASSWORD_RESET_TIMEOUT)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("invitation_accept", args=[uidb64, token])


def send_invitation(production: Production, *, by: User, user: User, request: HttpRequest) -> None:
    """Email `user` a link to set their password and join `production`."""
    context = {
        "production": production,
        "inviter": by.get_full_name() or by.get_username(),
        "user": user,
        "link": request.build_absolute_uri(invitation_path(user)),
        "expires_days": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400)),
    }
    subject = render_to_string("registration/invitation_subject.txt", context, request)
    body = render_to_string("registration/invitation_email.txt", context, request)
    send_mail(" ".join(subject.split()), body, None, [user.email])


@transaction.atomic
def invite_member(
    production: Production, *, by: User, email: str, level: int, request: HttpRequest
) -> Membership:
    """Create a login for someone new at `email`, make them a member and, once
    the transaction commits, email them their one-time link. `request` builds
    the link's absolute URL."""
    production = lock_production(production.pk)
    email = get_user_model().objects.normalize_email(email)
    if get_user_model()._default_manager.filter(email__iexact=email).exists():
        raise ValidationError(
            "Someone already has a login with that email: add them instead.", code="exists"
        )
    user = _create_invited_user(email)
    membership = Membership.objects.create(production=production, user=user, level=level)
    log(
        production,
        Kind.MEMBER_ADDED,
        by=by,
        subject=user.get_username(),
        changes={"level": Level(level).label, "invited": True},
    )
    # A rollback sends nothing; the token is made after commit, from the saved
    # row. A mail server that fails is logged, not a 500 over a saved change:
    # the manager can send the invitation again from the members page.
    transaction.on_commit(
        lambda: send_invitation(production, by=by, user=user, request=request), robust=True
    )
    return membership


def has_pending_invitation(user: User) -> bool:
    """Invited, and has not set a password yet."""
    return not user.has_usable_password() and user.last_login is None


@transaction.atomic
def resend_invitation(membership: Membership, *, by: User, request: HttpRequest) -> None:
    """Send the invitation again (the first link may have timed out), with a
    new link: the earlier one stops working. (The link's token covers the
    password hash; an unusable password is a fresh random one each time.)"""
    production = lock_production(membership.production_id)
    user = membership.user
    if not has_pending_invitation(user) or not user.email:
        raise ValidationError(
            f"{user.get_username()} has already set a password.", code="not_invited"
        )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    # The earlier link stopped working: who sent the new one, in the log.
    log(production, Kind.INVITATION_RESENT, by=by, subject=user.get_username())
    transaction.on_commit(
        lambda: send_invitation(production, by=by, user=user, request=request), robust=True
    )


def _current(membership):
    current = Membership.objects.select_related("user").filter(pk=membership.pk).first()
    if current is None:
        raise Gone("That person was just removed from this production.")
    return current


def _is_last_manager(membership):
    return (
        membership.level == Level.MANAGER
        and not _managers(membership.production_id).exclude(pk=membership.pk).exists()
    )


@transaction.atomic
def change_level(membership: Membership, *, by: User, level: int) -> Membership:
    """Set a member's level; it applies from their next request."""
    production = lock_production(membership.production_id)
    current = _current(membership)
    level = Level(level)
    if current.level == level:
        return current
    if level < Level.MANAGER and _is_last_manager(current):
        raise ValidationError(LAST_MANAGER, code="last_manager")
    before = Level(current.level)
    current.level = level
    current.save(update_fields=["level"])
    log(
        production,
        Kind.MEMBER_CHANGED,
        by=by,
        subject=current.user.get_username(),
        changes={"level": [before.label, level.label]},
    )
    return current


@transaction.atomic
def remove_member(membership: Membership, *, by: User) -> None:
    """Take away a member's access; it applies from their next request. Their
    login stays: they may be a member of other productions."""
    production = lock_production(membership.production_id)
    current = _current(membership)
    if _is_last_manager(current):
        raise ValidationError(LAST_MANAGER, code="last_manager")
    current.delete()
    log(
        production,
        Kind.MEMBER_REMOVED,
        by=by,
        subject=current.user.get_username(),
        changes={"level": Level(current.level).label},
    )
