import datetime

import factory
from django.contrib.auth import get_user_model

from productions import models
from productions.services.counters import recount_production


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")


class CrewRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CrewRole
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Role {n}")
    department = models.CrewRole.Department.PRODUCTION


class CrewMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CrewMember

    name = factory.Sequence(lambda n: f"Crew Member {n}")


class ProductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Production

    title = factory.Sequence(lambda n: f"Production {n}")
    slug = factory.Sequence(lambda n: f"production-{n}")
    kind = models.Production.Kind.MUSIC_VIDEO


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Stage

    production = factory.SubFactory(ProductionFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ChecklistItem
        skip_postgeneration_save = True

    stage = factory.SubFactory(StageFactory)
    title = factory.Sequence(lambda n: f"Item {n}")

    @factory.post_generation
    def counters(item, create, extracted, **kwargs):
        # The services keep the stage and production counters; rows made here
        # bypass them, so recount (tests see the counters the app would).
        if create:
            recount_production(item.stage.production_id)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Assignment

    production = factory.SubFactory(ProductionFactory)
    crew_member = factory.SubFactory(CrewMemberFactory)
    role = factory.SubFactory(CrewRoleFactory)


class StageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StageTemplate

    kind = models.Production.Kind.OTHER
    name = factory.Sequence(lambda n: f"Stage template {n}")
    phase = models.Stage.Phase.PRE_PRODUCTION


class ChecklistItemTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ChecklistItemTemplate

    stage_template = factory.SubFactory(StageTemplateFactory)
    title = factory.Sequence(lambda n: f"Item template {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    production = factory.SubFactory(ProductionFactory)
    user = factory.SubFactory(UserFactory)
    level = models.Membership.Level.VIEWER


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Comment

    item = factory.SubFactory(ChecklistItemFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    """A saved template: one stage of two items unless `stages` says otherwise."""

    class Meta:
        model = models.ChecklistTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    kind = models.Production.Kind.CONCERT
    stages = factory.LazyFunction(
        lambda: [
            {
                "name": "Rigging",
                "phase": "pre_production",
                "notes": "",
                "start_offset": -2,
                "due_offset": 0,
                "items": [
                    {"title": "Book the truss", "notes": "", "required": True, "due_offset": -5},
                    {
                        "title": "Check the hoists",
                        "notes": "",
                        "required": False,
                        "due_offset": None,
                    },
                ],
            }
        ]
    )


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Location

    name = factory.Sequence(lambda n: f"Location {n}")
    address = "1 Studio Road"


class ShootDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ShootDay

    production = factory.SubFactory(ProductionFactory)
    date = datetime.date(2030, 1, 1)
    kind = models.ShootDay.Kind.SHOOT
    call_time = datetime.time(7, 0)
    wrap_time = datetime.time(19, 0)
    position = factory.Sequence(lambda n: n)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Call

    day = factory.SubFactory(ShootDayFactory)
    crew_member = factory.SubFactory(CrewMemberFactory)
