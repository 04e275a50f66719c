"""What cached fragments ({% cache %} in the templates) are keyed by, beyond
the production's live version, which every logged change bumps.

A fragment's key names the version of everything its markup shows, so a
change is seen at once (the next request asks for a key nobody stored) and
an old fragment is never flushed by hand: it just stops being asked for and
the cache lets it go. See the `fragment_vary` tag (templatetags/ui.py) for
the rest of the key (language, time zone, today, the query, the viewer's
level).

Names of people and roles (a crew member's name, a login's username, a
role in the filter) are shown on pages of many productions, and renaming
one logs nothing on any production: they have a version of their own here,
a random token replaced whenever a crew member, a role or a user is saved
or deleted. A token, not a counter: if the
cache drops it, a new one is drawn, so no fragment of the old one comes back.
"""

import uuid

from django.core.cache import cache

PEOPLE_KEY = "fragments:people"


def people_version():
    version = cache.get(PEOPLE_KEY)
    if version is None:
        cache.add(PEOPLE_KEY, uuid.uuid4().hex, None)
        version = cache.get(PEOPLE_KEY) or ""
    return version


# The fields that hold a name; a save of others only (a login's last_login) changes none.
NAMES = {"name", "username"}


def people_changed(update_fields=None, **kwargs):
    """post_save / post_delete of CrewMember, CrewRole and the user model (apps.py)."""
    if update_fields is not None and not NAMES & set(update_fields):
        return
    cache.set(PEOPLE_KEY, uuid.uuid4().hex, None)


def production_versions(productions):
    """One string naming the live version of each of `productions` (a
    queryset): the key of a fragment that shows rows of several productions
    (My work), which changes when any of them changes or one comes or goes.
    One query."""
    pairs = productions.order_by("pk").values_list("pk", "live_version")
    return ",".join(f"{pk}.{version}" for pk, version in pairs)
