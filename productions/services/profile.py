"""A user's own settings."""

from django.contrib.auth.models import User
from django.db import transaction

from ..models import Profile


@transaction.atomic
def set_time_zone(user: User, name: str, *, by: User, only_if_unset: bool = False) -> Profile:
    """Save the user's time zone (an IANA name, already validated).

    `only_if_unset`: the browser's guess on a first visit never overrides a
    zone the user chose."""
    profile, _ = Profile.objects.select_for_update(no_key=True).get_or_create(user=user)
    if only_if_unset and profile.time_zone:
        return profile
    profile.time_zone = name
    profile.save(update_fields=["time_zone"])
    return profile
