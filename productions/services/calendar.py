"""Calendar subscription links: each user's own, for a production or one person on it.

A link is a personal setting, like a profile's time zone: it changes nothing
the production's members see, so it leaves no entry in the activity log."""

import secrets

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from ..models import CalendarToken, CrewMember, Production


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_link(
    production: Production, *, by: User, crew_member: CrewMember | None = None
) -> CalendarToken:
    """The user's link for this scope, made on first asking (the same link after)."""
    token = CalendarToken.objects.filter(
        owner=by, production=production, crew_member=crew_member
    ).first()
    if token is not None:
        return token
    try:
        with transaction.atomic():
            return CalendarToken.objects.create(
                owner=by, production=production, crew_member=crew_member, secret=new_secret()
            )
    except IntegrityError:  # made by a double click a moment ago
        return CalendarToken.objects.get(owner=by, production=production, crew_member=crew_member)


@transaction.atomic
def regenerate_calendar_link(token: CalendarToken, *, by: User) -> CalendarToken:
    """A new secret: the old link stops working at once. Owner only."""
    if token.owner_id != by.pk:
        raise PermissionError("Only its owner may regenerate a calendar link.")
    token = CalendarToken.objects.select_for_update(no_key=True).get(pk=token.pk)
    token.secret = new_secret()
    token.save(update_fields=["secret"])
    return token
