"""The members pages' URLs and a membership look-up, shared by
tests/test_members_page.py and tests/test_member_levels_and_removal.py."""

from productions.models import Membership


def members_url(production):
    return f"/productions/{production.slug}/members/"


def add_url(production):
    return f"/productions/{production.slug}/members/add/"


def membership_of(user, production):
    return Membership.objects.get(user=user, production=production)
