"""A small world of objects around the cast's production, and the project's URLs.

Shared by the permission matrix, the fuzzer and the XSS tests: one place
that knows how to reach every URL of the project with objects that exist.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from productions.models import (
    Activity,
    Assignment,
    BulkAction,
    Call,
    ChecklistItem,
    ChecklistTemplate,
    Comment,
    CrewMember,
    Membership,
    Production,
    ShootDay,
    Stage,
)
from productions.services.members import invitation_path
from tests.factories import (
    AssignmentFactory,
    CallFactory,
    ChecklistItemFactory,
    ChecklistTemplateFactory,
    CommentFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    LocationFactory,
    MembershipFactory,
    ProductionFactory,
    ShootDayFactory,
    StageFactory,
    UserFactory,
)

Level = Membership.Level


def iter_url_patterns(resolver=None, prefix="", namespace=None):
    """(key, route) for every URL pattern of the project, included ones too.

    The key is the pattern's full name ("admin:index"), or its route for a
    pattern without a name ("favicon.ico")."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from iter_url_patterns(pattern, route, ns)
        else:
            assert isinstance(pattern, URLPattern)
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield (name or route), route


def is_admin(key, route):
    return key.startswith("admin:") or route.startswith("admin/")


@dataclass
class World:
    production: Production
    stage: Stage
    item: ChecklistItem
    deleted_item: ChecklistItem
    deleted_stage: Stage
    role: object
    other_role: object
    crew_member: CrewMember
    assignment: Assignment
    comment: Comment
    target: Membership  # a plain viewer, for level changes and removal
    invited: Membership  # someone invited who has not set a password yet
    newbie: object  # a login who is not a member: member_add adds them
    deleted_production: Production
    invitation_path: str
    template: ChecklistTemplate  # saved by the production's manager
    bulk: BulkAction  # a bulk change, for its Undo
    day: ShootDay  # a shoot day with a location and one call
    deleted_day: ShootDay  # a day in the trash, for its Undo
    call: Call

    @property
    def invitation_parts(self):
        uidb64, token = self.invitation_path.strip("/").split("/")[1:]
        return {"uidb64": uidb64, "token": token}


def build_world(production, cast):
    """Everything a URL of the project can point at, around `production`.

    `cast` is the conftest fixture: manager, editor and viewer are members of
    `production` (and of a deleted one, at the same levels)."""
    stage = StageFactory(production=production, name="Wardrobe", position=1)
    item = ChecklistItemFactory(stage=stage, title="Fit the jackets", position=1)
    deleted_item = ChecklistItemFactory(
        stage=stage, title="Old fitting", position=2, deleted_at=timezone.now()
    )
    deleted_stage = StageFactory(
        production=production, name="Old stage", position=2, deleted_at=timezone.now()
    )
    ChecklistItemFactory(stage=deleted_stage, title="In the old stage")
    role = CrewRoleFactory(name="Gaffer")
    other_role = CrewRoleFactory(name="Best boy")
    crew_member = CrewMemberFactory(name="Gus Gaffer", default_role=role)
    assignment = AssignmentFactory(production=production, crew_member=crew_member, role=role)
    comment = CommentFactory(item=item, author=cast["editor"], body="First!")
    target = MembershipFactory(
        production=production, user=UserFactory(username="tess"), level=Level.VIEWER
    )
    invited_user = UserFactory(username="ivy", email="ivy@example.com")
    invited_user.set_unusable_password()
    invited_user.save()
    invited = MembershipFactory(production=production, user=invited_user, level=Level.VIEWER)
    newbie = UserFactory(username="newbie")
    deleted_production = ProductionFactory(
        title="Old Show", slug="old-show", deleted_at=timezone.now()
    )
    for name in ("manager", "editor", "viewer"):
        level = production.memberships.get(user=cast[name]).level
        MembershipFactory(production=deleted_production, user=cast[name], level=level)
    day = ShootDayFactory(production=production, stage=stage, weather="Dry")
    day.locations.set([LocationFactory(name="Pier 9", nearest_hospital="St Mary's")])
    call = CallFactory(day=day, crew_member=CrewMemberFactory(name="Cal Caller"), role=role)
    deleted_day = ShootDayFactory(production=production, deleted_at=timezone.now())
    return World(
        production=production,
        stage=stage,
        item=item,
        deleted_item=deleted_item,
        deleted_stage=deleted_stage,
        role=role,
        other_role=other_role,
        crew_member=crew_member,
        assignment=assignment,
        comment=comment,
        target=target,
        invited=invited,
        newbie=newbie,
        deleted_production=deleted_production,
        invitation_path=invitation_path(invited_user),
        template=ChecklistTemplateFactory(name="Matrix template", created_by=cast["manager"]),
        bulk=BulkAction.objects.create(
            production=production, action="done", summary="Marked 0 items done"
        ),
        day=day,
        deleted_day=deleted_day,
        call=call,
    )


def snapshot():
    """What a refused request must leave as it was: every row that matters."""
    User = get_user_model()
    return {
        "productions": list(
            Production.all_objects.order_by("pk").values_list(
                "pk", "title", "slug", "version", "status", "deleted_at"
            )
        ),
        "stages": list(
            Stage.all_objects.order_by("pk").values_list(
                "pk", "name", "status", "status_manual", "deleted_at"
            )
        ),
        "items": list(
            ChecklistItem.all_objects.order_by("pk").values_list(
                "pk", "title", "notes", "done", "version", "deleted_at", "assignee", "due_date"
            )
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "production", "user", "level")
        ),
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk")),
        "crew": list(CrewMember.objects.order_by("pk").values_list("pk", "name", "email")),
        "comments": list(Comment.objects.order_by("pk").values_list("pk", "body")),
        "activities": Activity.objects.count(),
        "templates": list(
            ChecklistTemplate.objects.order_by("pk").values_list("pk", "name", "description")
        ),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        "days": list(
            ShootDay.all_objects.order_by("pk").values_list(
                "pk", "date", "version", "weather", "deleted_at", "kept_conflicts"
            )
        ),
        "calls": list(Call.objects.order_by("pk").values_list("pk", "call_time", "version")),
    }
