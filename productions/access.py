"""The one home of "who may do what".

Every view looks objects up through these helpers. Each lookup returns the
object together with an `Access`: the user's level on the object's production
(staff count as managers everywhere). A lookup that misses, or finds something
in a production the user is not a member of, raises Http404, so an object a
user may not see cannot be told apart from one that does not exist. `require()`
then refuses (403) a write the level does not allow.

Templates receive the `Access` as `can` and show only the controls it allows;
neither views nor templates check membership or `is_staff` themselves.

An archived production is a record: read-only for everyone until a manager
unarchives it. Every member may still read, export, print and follow it in
a calendar; `edit` and `manage` are off, and `require()` refuses every write
on it (403). What stays open there is named, below: managers archive and
unarchive, delete it (to the trash, and restore it), and manage its members
(who may see the record); editors clone it and managers save it as a
template (both write elsewhere, reading it only).
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
)
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import (
    Assignment,
    BulkAction,
    CalendarToken,
    Call,
    ChecklistItem,
    ChecklistTemplate,
    Comment,
    CrewMember,
    Location,
    Membership,
    Production,
    ShootDay,
    Stage,
)

Level = Membership.Level

# Cloning copies the crew and every item, so it takes someone who may change
# them; saving a template publishes the checklist to everyone, a manager's call.
CLONE = Level.EDITOR
SAVE_TEMPLATE = Level.MANAGER


# What stays open on an archived production, and from which level: Access
# has a property of each name, and require_to() checks one.
OPEN_WHEN_ARCHIVED = {
    "archive": Level.MANAGER,  # archive, unarchive, delete to the trash, restore
    "members": Level.MANAGER,  # add, invite, change and remove members
    "clone": CLONE,
    "save_template": SAVE_TEMPLATE,
}

ARCHIVED = "This production is archived: a manager can unarchive it to make changes."

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Access:
    level: int
    archived: bool = False

    @classmethod
    def of(cls, row: Model) -> "Access":
        """The Access of a row a lookup here annotated (`access_level`, `access_archived_at`)."""
        return cls(row.access_level, row.access_archived_at is not None)

    @property
    def view(self) -> bool:
        return self.level >= Level.VIEWER

    @property
    def edit(self) -> bool:
        """Add, tick, edit, delete and restore items; stage status; comments; crew."""
        return self.level >= Level.EDITOR and not self.archived

    @property
    def manage(self) -> bool:
        """The production itself, its stages and crew assignments."""
        return self.level >= Level.MANAGER and not self.archived

    @property
    def archive(self) -> bool:
        """Archive and unarchive the production, delete it, restore it from the trash."""
        return self.level >= OPEN_WHEN_ARCHIVED["archive"]

    @property
    def members(self) -> bool:
        """Add, invite, change and remove members (archived or not: who may see it)."""
        return self.level >= OPEN_WHEN_ARCHIVED["members"]

    @property
    def clone(self) -> bool:
        """Clone the production: the copy takes its crew and items along."""
        return self.level >= OPEN_WHEN_ARCHIVED["clone"]

    @property
    def save_template(self) -> bool:
        """Save its stages and items as a template everyone may start from."""
        return self.level >= OPEN_WHEN_ARCHIVED["save_template"]

    @property
    def label(self) -> str:
        return Level(self.level).label


def may_use_admin(user: User) -> bool:
    """The Django admin is for staff only (Django checks this itself too)."""
    return user.is_active and user.is_staff


def site_access(request: HttpRequest) -> dict[str, bool]:
    """Template context processor: what the navigation may offer."""
    return {"may_use_admin": may_use_admin(request.user)}


def _needs(level: int) -> PermissionDenied:
    return PermissionDenied(f"This needs {Level(level).label.lower()} access.")


def require(access: Access, level: int) -> None:
    """Refuse (403) a write `access` does not allow: below `level` (a Level),
    or any write on an archived production (see require_to() for the few
    that stay open there)."""
    if access.level < level:
        raise _needs(level)
    if access.archived and level >= Level.EDITOR:
        raise PermissionDenied(ARCHIVED)


def require_to(access: Access, action: str) -> None:
    """Refuse (403) one of the actions open on an archived production
    (OPEN_WHEN_ARCHIVED: "archive", "members", "clone", "save_template")
    to someone below its level."""
    if not getattr(access, action):
        raise _needs(OPEN_WHEN_ARCHIVED[action])


def _with_level(queryset, user, production_field):
    """Annotate `access_level` (the user's level on the row's production) and
    keep only rows the user may see: one query, whatever the lookup.

    The level comes from a join on the user's membership (unique per
    production and user, so no row is repeated): it costs the ORM less to
    build than a subquery, and every view's lookup goes through here."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    production = "" if production_field == "pk" else f"{production_field}__"
    if user.is_staff:
        return queryset.annotate(
            access_level=Value(Level.MANAGER, IntegerField()),
            access_archived_at=F(f"{production}archived_at"),
        )
    memberships = f"{production}memberships"
    return queryset.filter(**{f"{memberships}__user_id": user.pk}).annotate(
        access_level=F(f"{memberships}__level"),
        access_archived_at=F(f"{production}archived_at"),
    )


def _lookup(queryset, user, production_field, **filters):
    obj = get_object_or_404(_with_level(queryset, user, production_field), **filters)
    return obj, Access.of(obj)


def productions_for_user(user: User) -> QuerySet[Production]:
    """Live productions the user may see, each annotated with `access_level`."""
    return _with_level(Production.objects.all(), user, "pk")


def deleted_productions_for_user(user: User) -> QuerySet[Production]:
    """Productions in the trash that the user manages (and so may restore)."""
    queryset = _with_level(Production.all_objects.in_trash(), user, "pk")
    return queryset.filter(access_level__gte=Level.MANAGER)


def get_production_for_user(user: User, slug: str) -> tuple[Production, Access]:
    """The live production `slug` with the user's Access: the lookup every
    production page starts with (one query)."""
    return _lookup(Production.objects.all(), user, "pk", slug=slug)


def get_deleted_production_for_user(user: User, pk: int) -> tuple[Production, Access]:
    """A production in the trash, for its manager (archived or not: restoring
    it undoes a delete)."""
    production, access = _lookup(Production.all_objects.in_trash(), user, "pk", pk=pk)
    require_to(access, "archive")
    return production, access


def get_stage_for_user(user: User, pk: int) -> tuple[Stage, Access]:
    stages = Stage.objects.select_related("production").filter(production__deleted_at__isnull=True)
    return _lookup(stages, user, "production", pk=pk)


def get_deleted_stage_for_user(user: User, pk: int) -> tuple[Stage, Access]:
    stages = Stage.all_objects.select_related("production").filter(
        deleted_at__isnull=False, production__deleted_at__isnull=True
    )
    return _lookup(stages, user, "production", pk=pk)


def _live_items():
    return ChecklistItem.objects.filter(
        stage__deleted_at__isnull=True, stage__production__deleted_at__isnull=True
    )


def items_for_user(user: User) -> QuerySet[ChecklistItem]:
    """Live items on live stages of productions the user may see, each
    annotated with the user's `access_level` on its production."""
    return _with_level(_live_items(), user, "stage__production")


def get_item_for_user(user: User, pk: int) -> tuple[ChecklistItem, Access]:
    items = _live_items().select_related("stage__production", "assignee", "done_by", "updated_by")
    return _lookup(items, user, "stage__production", pk=pk)


def get_deleted_item_for_user(user: User, pk: int) -> tuple[ChecklistItem, Access]:
    items = ChecklistItem.all_objects.select_related("stage__production").filter(
        deleted_at__isnull=False,
        stage__deleted_at__isnull=True,
        stage__production__deleted_at__isnull=True,
    )
    return _lookup(items, user, "stage__production", pk=pk)


def get_assignment_for_user(user: User, pk: int) -> tuple[Assignment, Access]:
    assignments = Assignment.objects.select_related("production", "crew_member", "role").filter(
        production__deleted_at__isnull=True
    )
    return _lookup(assignments, user, "production", pk=pk)


def get_membership_for_user(user: User, pk: int) -> tuple[Membership, Access]:
    memberships = Membership.objects.select_related("production", "user").filter(
        production__deleted_at__isnull=True
    )
    return _lookup(memberships, user, "production", pk=pk)


def get_bulk_action_for_user(user: User, pk: int) -> tuple[BulkAction, Access]:
    """A bulk edit, for its Undo: editors of its production may undo it."""
    actions = BulkAction.objects.select_related("production", "by").filter(
        production__deleted_at__isnull=True
    )
    action, access = _lookup(actions, user, "production", pk=pk)
    require(access, Level.EDITOR)
    return action, access


def get_comment_for_user(user: User, pk: int) -> tuple[Comment, Access]:
    comments = Comment.objects.select_related("item__stage__production", "author").filter(
        item__deleted_at__isnull=True,
        item__stage__deleted_at__isnull=True,
        item__stage__production__deleted_at__isnull=True,
    )
    return _lookup(comments, user, "item__stage__production", pk=pk)


def crew_for_user(user: User) -> QuerySet[CrewMember]:
    """The crew directory a user may pick from when assigning.

    It is the company's shared directory (names and usual roles), so a new
    production can be staffed from it; contact details are shown only on the
    crew panel of productions the person is on, to their members."""
    if not user.is_authenticated:
        return CrewMember.objects.none()
    return CrewMember.objects.all()


# The schedule (shoot days, calls, call sheets) follows the production's
# levels: viewers read the schedule and call sheets, editors plan.


def get_day_for_user(user: User, pk: int) -> tuple[ShootDay, Access]:
    """A live shoot day of a live production, and the user's Access on it."""
    days = ShootDay.objects.select_related("production", "stage").filter(
        production__deleted_at__isnull=True
    )
    return _lookup(days, user, "production", pk=pk)


def get_deleted_day_for_user(user: User, pk: int) -> tuple[ShootDay, Access]:
    """A day in the trash (for its Undo), on a live production."""
    days = ShootDay.all_objects.select_related("production").filter(
        deleted_at__isnull=False, production__deleted_at__isnull=True
    )
    return _lookup(days, user, "production", pk=pk)


def get_call_for_user(user: User, pk: int) -> tuple[Call, Access]:
    calls = Call.objects.select_related(
        "day__production", "crew_member", "user", "role", "location"
    ).filter(day__deleted_at__isnull=True, day__production__deleted_at__isnull=True)
    return _lookup(calls, user, "day__production", pk=pk)


def locations_for_user(user: User) -> QuerySet[Location]:
    """The locations a user may pick for a day: the office's shared list
    (like the crew directory; see models/schedule.py)."""
    if not user.is_authenticated:
        return Location.objects.none()
    return Location.objects.all()


def get_calendar_token_for_user(user: User, pk: int) -> tuple[CalendarToken, Access]:
    """A calendar link of the user's own: only its owner may see or regenerate
    it (anyone else gets 404), on a production they can still see."""
    tokens = CalendarToken.objects.select_related("production", "crew_member").filter(
        owner=user, production__deleted_at__isnull=True
    )
    return _lookup(tokens, user, "production", pk=pk)


def get_calendar_feed(secret: str) -> tuple[CalendarToken, Production, Access]:
    """The calendar link with this secret, if its owner may still see its
    production (else 404): the feed shows what the owner may see, no more."""
    token = get_object_or_404(
        CalendarToken.objects.select_related("owner", "production", "crew_member").filter(
            production__deleted_at__isnull=True
        ),
        secret=secret,
    )
    production = get_object_or_404(
        _with_level(Production.objects.filter(pk=token.production_id), token.owner, "pk")
    )
    return token, production, Access.of(production)


# Saved checklist templates are shared: anyone logged in may list them and
# start a production from one (they hold stage and item text, no crew, no
# people). Only whoever saved one, or staff, may delete it.


@dataclass(frozen=True)
class TemplateAccess:
    delete: bool


def templates_for_user(user: User) -> QuerySet[ChecklistTemplate]:
    """The templates a user may start from, each annotated with `may_delete`."""
    if not user.is_authenticated or not user.is_active:
        return ChecklistTemplate.objects.none()
    may_delete = Value(True) if user.is_staff else Q(created_by=user)
    return ChecklistTemplate.objects.annotate(
        may_delete=ExpressionWrapper(may_delete, output_field=BooleanField())
    )


def get_template_for_user(user: User, pk: int) -> tuple[ChecklistTemplate, TemplateAccess]:
    template = get_object_or_404(templates_for_user(user).select_related("created_by"), pk=pk)
    return template, TemplateAccess(delete=template.may_delete)


def get_template_to_delete(user: User, pk: int) -> tuple[ChecklistTemplate, TemplateAccess]:
    """The template, if the user may delete it (else 403; 404 if there is none)."""
    template, can = get_template_for_user(user, pk)
    if not can.delete:
        raise PermissionDenied("Only whoever saved this template, or staff, may delete it.")
    return template, can
