"""The one home of "who may do what".

Every view looks objects up through these helpers. Each lookup returns the
object together with an `Access`: the user's level on the object's production
(staff count as managers everywhere). A lookup that misses, or finds something
in a production the user is not a member of, raises Http404, so an object a
user may not see cannot be told apart from one that does not exist. `require()`
then refuses (403) a write the level does not allow.

Templates receive the `Access` as `can` and show only the controls it allows;
neither views nor templates check membership or `is_staff` themselves.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
)
from django.http import Http404
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
from .precompiled import Precompiled

Level = Membership.Level

# Cloning copies the crew and every item, so it takes someone who may change
# them; saving a template publishes the checklist to everyone, a manager's call.
CLONE = Level.EDITOR
SAVE_TEMPLATE = Level.MANAGER


@dataclass(frozen=True)
class Access:
    level: int

    @property
    def view(self):
        return self.level >= Level.VIEWER

    @property
    def edit(self):
        """Add, tick, edit, delete and restore items; stage status; comments; crew."""
        return self.level >= Level.EDITOR

    @property
    def manage(self):
        """The production itself, its stages, crew assignments and members."""
        return self.level >= Level.MANAGER

    @property
    def clone(self):
        """Clone the production: the copy takes its crew and items along."""
        return self.level >= CLONE

    @property
    def save_template(self):
        """Save its stages and items as a template everyone may start from."""
        return self.level >= SAVE_TEMPLATE

    @property
    def label(self):
        return Level(self.level).label


def may_use_admin(user):
    """The Django admin is for staff only (Django checks this itself too)."""
    return user.is_active and user.is_staff


def site_access(request):
    """Template context processor: what the navigation may offer."""
    return {"may_use_admin": may_use_admin(request.user)}


def require(access, level):
    """Refuse (403) what `access` does not allow; `level` is a Level."""
    if access.level < level:
        raise PermissionDenied(f"This needs {Level(level).label.lower()} access.")


def _with_level(queryset, user, production_field):
    """Annotate `access_level` (the user's level on the row's production) and
    keep only rows the user may see: one query, whatever the lookup.

    The level comes from a join on the user's membership (unique per
    production and user, so no row is repeated): it costs the ORM less to
    build than a subquery, and every view's lookup goes through here."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return _with_level_of(queryset, user.is_staff, user.pk, production_field)


def _with_level_of(queryset, staff, user_id, production_field):
    if staff:
        return queryset.annotate(access_level=Value(Level.MANAGER, IntegerField()))
    memberships = "memberships" if production_field == "pk" else f"{production_field}__memberships"
    return queryset.filter(**{f"{memberships}__user_id": user_id}).annotate(
        access_level=F(f"{memberships}__level")
    )


def level_sql(user, production_column):
    """_with_level() for one hand-written statement (the tick's, which checks
    access in the same statement as its write): SQL for the user's level on
    the production whose id is in `production_column`, NULL when they have
    none, and its params. Callers compare it with a Level."""
    if user.is_staff:
        return "CAST(%s AS INTEGER)", [int(Level.MANAGER)]
    table = Membership._meta.db_table
    return (
        f"(SELECT m.level FROM {table} m"
        f" WHERE m.production_id = {production_column} AND m.user_id = %s)",
        [user.pk],
    )


def _lookup(queryset, user, production_field, **filters):
    obj = get_object_or_404(_with_level(queryset, user, production_field), **filters)
    return obj, Access(obj.access_level)


def productions_for_user(user):
    """Live productions the user may see, each annotated with `access_level`."""
    return _with_level(Production.objects.all(), user, "pk")


def deleted_productions_for_user(user):
    """Productions in the trash that the user manages (and so may restore)."""
    queryset = _with_level(Production.all_objects.in_trash(), user, "pk")
    return queryset.filter(access_level__gte=Level.MANAGER)


# The lookup every production page starts with, compiled once (precompiled.py).
_PRODUCTION_BY_SLUG = Precompiled(
    lambda staff, slug, user_id=None: _with_level_of(
        Production.objects.filter(slug=slug), staff, user_id, "pk"
    )
)


def get_production_for_user(user, slug):
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such production.")
    who = {} if user.is_staff else {"user_id": user.pk}
    found = _PRODUCTION_BY_SLUG(user.is_staff, slug=slug, **who)
    if not found:
        raise Http404("No such production.")
    return found[0], Access(found[0].access_level)


def get_deleted_production_for_user(user, pk):
    production, access = _lookup(Production.all_objects.in_trash(), user, "pk", pk=pk)
    require(access, Level.MANAGER)
    return production, access


def get_stage_for_user(user, pk):
    stages = Stage.objects.select_related("production").filter(production__deleted_at__isnull=True)
    return _lookup(stages, user, "production", pk=pk)


def get_deleted_stage_for_user(user, pk):
    stages = Stage.all_objects.select_related("production").filter(
        deleted_at__isnull=False, production__deleted_at__isnull=True
    )
    return _lookup(stages, user, "production", pk=pk)


def _live_items():
    return ChecklistItem.objects.filter(
        stage__deleted_at__isnull=True, stage__production__deleted_at__isnull=True
    )


def items_for_user(user):
    """Live items on live stages of productions the user may see, each
    annotated with the user's `access_level` on its production."""
    return _with_level(_live_items(), user, "stage__production")


def get_item_for_user(user, pk):
    items = _live_items().select_related("stage__production", "assignee", "done_by", "updated_by")
    return _lookup(items, user, "stage__production", pk=pk)


def get_deleted_item_for_user(user, pk):
    items = ChecklistItem.all_objects.select_related("stage__production").filter(
        deleted_at__isnull=False,
        stage__deleted_at__isnull=True,
        stage__production__deleted_at__isnull=True,
    )
    return _lookup(items, user, "stage__production", pk=pk)


def get_assignment_for_user(user, pk):
    assignments = Assignment.objects.select_related("production", "crew_member", "role").filter(
        production__deleted_at__isnull=True
    )
    return _lookup(assignments, user, "production", pk=pk)


def get_membership_for_user(user, pk):
    memberships = Membership.objects.select_related("production", "user").filter(
        production__deleted_at__isnull=True
    )
    return _lookup(memberships, user, "production", pk=pk)


def get_bulk_action_for_user(user, pk):
    """A bulk edit, for its Undo: editors of its production may undo it."""
    actions = BulkAction.objects.select_related("production", "by").filter(
        production__deleted_at__isnull=True
    )
    action, access = _lookup(actions, user, "production", pk=pk)
    require(access, Level.EDITOR)
    return action, access


def get_comment_for_user(user, pk):
    comments = Comment.objects.select_related("item__stage__production", "author").filter(
        item__deleted_at__isnull=True,
        item__stage__deleted_at__isnull=True,
        item__stage__production__deleted_at__isnull=True,
    )
    return _lookup(comments, user, "item__stage__production", pk=pk)


def crew_for_user(user):
    """The crew directory a user may pick from when assigning.

    It is the company's shared directory (names and usual roles), so a new
    production can be staffed from it; contact details are shown only on the
    crew panel of productions the person is on, to their members."""
    if not user.is_authenticated:
        return CrewMember.objects.none()
    return CrewMember.objects.all()


# The schedule (shoot days, calls, call sheets) follows the production's
# levels: viewers read the schedule and call sheets, editors plan.


def get_day_for_user(user, pk):
    """A live shoot day of a live production, and the user's Access on it."""
    days = ShootDay.objects.select_related("production", "stage").filter(
        production__deleted_at__isnull=True
    )
    return _lookup(days, user, "production", pk=pk)


def get_deleted_day_for_user(user, pk):
    """A day in the trash (for its Undo), on a live production."""
    days = ShootDay.all_objects.select_related("production").filter(
        deleted_at__isnull=False, production__deleted_at__isnull=True
    )
    return _lookup(days, user, "production", pk=pk)


def get_call_for_user(user, pk):
    calls = Call.objects.select_related(
        "day__production", "crew_member", "user", "role", "location"
    ).filter(day__deleted_at__isnull=True, day__production__deleted_at__isnull=True)
    return _lookup(calls, user, "day__production", pk=pk)


def locations_for_user(user):
    """The locations a user may pick for a day: the office's shared list
    (like the crew directory; see models/schedule.py)."""
    if not user.is_authenticated:
        return Location.objects.none()
    return Location.objects.all()


def get_calendar_token_for_user(user, pk):
    """A calendar link of the user's own: only its owner may see or regenerate
    it (anyone else gets 404), on a production they can still see."""
    tokens = CalendarToken.objects.select_related("production", "crew_member").filter(
        owner=user, production__deleted_at__isnull=True
    )
    return _lookup(tokens, user, "production", pk=pk)


def get_calendar_feed(secret):
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
    return token, production, Access(production.access_level)


# Saved checklist templates are shared: anyone logged in may list them and
# start a production from one (they hold stage and item text, no crew, no
# people). Only whoever saved one, or staff, may delete it.


@dataclass(frozen=True)
class TemplateAccess:
    delete: bool


def templates_for_user(user):
    """The templates a user may start from, each annotated with `may_delete`."""
    if not user.is_authenticated or not user.is_active:
        return ChecklistTemplate.objects.none()
    may_delete = Value(True) if user.is_staff else Q(created_by=user)
    return ChecklistTemplate.objects.annotate(
        may_delete=ExpressionWrapper(may_delete, output_field=BooleanField())
    )


def get_template_for_user(user, pk):
    template = get_object_or_404(templates_for_user(user).select_related("created_by"), pk=pk)
    return template, TemplateAccess(delete=template.may_delete)


def get_template_to_delete(user, pk):
    """The template, if the user may delete it (else 403; 404 if there is none)."""
    template, can = get_template_for_user(user, pk)
    if not can.delete:
        raise PermissionDenied("Only whoever saved this template, or staff, may delete it.")
    return template, can


def get_user_with_live_version(user_id, slug):
    """The live-update poll's one query after the session's: the user's row
    together with the live production `slug`'s version and the user's level
    on it, as get_production_for_user() decides it (staff count as managers;
    a missing or deleted production, or a production the user is not a
    member of, gives no level). The caller checks the login itself (see
    productions/session_user.py); an inactive user gets no level here either.

    Returns the user (None if there is none) with `live_version` and
    `access` (an Access, None for no access) set on it. Plain SQL: the ORM's
    compiling of this query cost more than the rest of the poll."""
    User = get_user_model()
    rows = list(User._default_manager.raw(_live_sql(User), [slug, user_id]))
    if not rows:
        return None
    user = rows[0]
    level = user.live_level
    if user.live_production is None or not user.is_active:
        level = None
    elif user.is_staff:
        level = Level.MANAGER
    user.access = Access(level) if level is not None else None
    return user


def _live_sql(User):
    quote = connection.ops.quote_name
    user_table, user_pk = quote(User._meta.db_table), quote(User._meta.pk.column)
    production, membership = Production._meta, Membership._meta

    def column(meta, name):
        return quote(meta.get_field(name).column)

    return (
        f"SELECT u.*, p.{column(production, 'id')} AS live_production,"
        f" p.{column(production, 'live_version')} AS live_version,"
        f" m.{column(membership, 'level')} AS live_level"
        f" FROM {user_table} u"
        f" LEFT JOIN {quote(production.db_table)} p"
        f" ON p.{column(production, 'slug')} = %s AND p.{column(production, 'deleted_at')} IS NULL"
        f" LEFT JOIN {quote(membership.db_table)} m"
        f" ON m.{column(membership, 'production')} = p.{column(production, 'id')}"
        f" AND m.{column(membership, 'user')} = u.{user_pk}"
        f" WHERE u.{user_pk} = %s"
    )
