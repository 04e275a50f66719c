"""Named checklist templates (issue 6, capability 7): save a production's stages
and items under a name, list them, start a new production from any of them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from productions import services
from productions.models import (
    Activity,
    ChecklistItem,
    ChecklistTemplate,
    Membership,
    Production,
    Stage,
)
from productions.models.templates import validate_template_stages
from productions.services.counters import wrong_counters
from tests.conftest import HTMX, client_for
from tests.factories import (
    ChecklistItemFactory,
    ChecklistTemplateFactory,
    CrewMemberFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = Activity.Kind


@pytest.fixture
def source(production, manager):
    """Neon Nights starting 10 March: a stage with dates, a done and assigned
    item, a required one, and things in the trash (never saved)."""
    Production.objects.filter(pk=production.pk).update(
        kind=Production.Kind.CONCERT, start_date=D(2026, 3, 10)
    )
    production.refresh_from_db()
    rig = StageFactory(
        production=production,
        name="Rigging",
        position=1,
        notes="Truss first.",
        start_date=D(2026, 3, 1),
        due_date=D(2026, 3, 9),
        status=Stage.Status.DONE,
    )
    show = StageFactory(production=production, name="Show", phase="production", position=2)
    ChecklistItemFactory(
        stage=rig,
        title="Book the truss",
        notes="Two spans.",
        assignee=CrewMemberFactory(name="Gus Gaffer"),
        due_date=D(2026, 3, 2),
        position=1,
        done=True,
        done_at=timezone.now(),
        done_by=manager,
    )
    ChecklistItemFactory(stage=rig, title="Check the hoists", required=True, position=2)
    ChecklistItemFactory(stage=rig, title="Old idea", position=3, deleted_at=timezone.now())
    ChecklistItemFactory(stage=show, title="Doors", due_date=D(2026, 3, 10), position=1)
    StageFactory(production=production, name="Gone", position=3, deleted_at=timezone.now())
    production.refresh_from_db()
    return production


SAVED = [
    {
        "name": "Rigging",
        "phase": "pre_production",
        "notes": "Truss first.",
        "start_offset": -9,
        "due_offset": -1,
        "items": [
            {
                "title": "Book the truss",
                "notes": "Two spans.",
                "location": "",
                "required": False,
                "due_offset": -8,
            },
            {
                "title": "Check the hoists",
                "notes": "",
                "location": "",
                "required": True,
                "due_offset": None,
            },
        ],
    },
    {
        "name": "Show",
        "phase": "production",
        "notes": "",
        "start_offset": None,
        "due_offset": None,
        "items": [
            {"title": "Doors", "notes": "", "location": "", "required": False, "due_offset": 0}
        ],
    },
]


# Saving


def test_a_template_keeps_the_live_stages_and_items_with_dates_as_offsets(source, manager):
    template = services.save_as_template(source, by=manager, name="Arena show")

    template.refresh_from_db()
    assert template.stages == SAVED
    assert (template.kind, template.created_by, template.description) == (
        Production.Kind.CONCERT,
        manager,
        "",
    )
    assert (template.stage_count, template.item_count) == (2, 3)


def test_a_template_of_a_production_without_a_start_date_keeps_no_dates(source, manager):
    Production.objects.filter(pk=source.pk).update(start_date=None)
    source.refresh_from_db()

    template = services.save_as_template(source, by=manager, name="Undated")

    offsets = [s["start_offset"] for s in template.stages] + [
        i["due_offset"] for s in template.stages for i in s["items"]
    ]
    assert offsets == [None] * 5


def test_saving_a_template_leaves_one_entry_on_the_production(source, manager):
    services.save_as_template(source, by=manager, name="Arena show")

    entry = Activity.objects.filter(production=source).get()
    assert (entry.kind, entry.subject, entry.actor) == (Kind.TEMPLATE_SAVED, "Arena show", manager)
    assert str(entry) == "mina saved the stages and items as the template Arena show"


def test_saving_a_template_does_not_ask_open_pages_to_reload(source, manager, viewer):
    client = client_for(viewer)
    page = client.get(source.get_absolute_url())

    services.save_as_template(source, by=manager, name="Arena show")
    response = client.get(
        reverse("production_changes", args=[source.slug]),
        {"after": page.context["after"]},
        headers={**HTMX["headers"], "If-None-Match": f'"{page.context["etag"]}"'},
    )

    assert response.status_code == 200
    assertNotContains(response, "Reload to see it")


def test_a_template_name_is_taken_whatever_its_case(source, manager):
    services.save_as_template(source, by=manager, name="Arena Show")

    with pytest.raises(ValidationError) as refused:
        services.save_as_template(source, by=manager, name="ARENA show")

    assert "already exists" in refused.value.message_dict["name"][0]
    assert ChecklistTemplate.objects.count() == 1


def test_the_database_refuses_a_duplicate_name_too(db):
    ChecklistTemplateFactory(name="Arena Show")

    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistTemplateFactory(name="arena show")


def test_a_checklist_too_big_for_a_template_is_refused_with_a_message(source, manager, monkeypatch):
    monkeypatch.setattr("productions.services.templates.MAX_TEMPLATE_ITEMS", 2)

    with pytest.raises(ValidationError, match="at most 2 items"):
        services.save_as_template(source, by=manager, name="Too big")

    assert not ChecklistTemplate.objects.exists()


@pytest.mark.parametrize(
    "stages",
    [
        "not a list",
        [{"name": "No items key", "phase": "production", "notes": ""}],
        [{**SAVED[1], "phase": "backstage"}],
        [{**SAVED[1], "name": "  "}],
        [{**SAVED[1], "due_offset": "7"}],
        [{**SAVED[1], "due_offset": True}],
        [{**SAVED[1], "due_offset": 10**9}],
        [{**SAVED[1], "items": [{"title": "x", "notes": "", "required": "yes", "due_offset": 0}]}],
        [{**SAVED[1], "items": [{"title": "", "notes": "", "required": False, "due_offset": 0}]}],
    ],
)
def test_a_template_of_the_wrong_shape_is_refused(stages):
    with pytest.raises(ValidationError):
        validate_template_stages(stages)


def test_what_the_app_saves_has_the_right_shape(source, manager):
    template = services.save_as_template(source, by=manager, name="Arena show")

    validate_template_stages(template.stages)
    template.full_clean()


# Starting a production from one


def start(template, user, **fields):
    fields.setdefault("title", "Arena Tour")
    return services.create_production_from_template(template, by=user, **fields)


def test_a_production_from_a_template_gets_its_stages_and_items_in_order(editor):
    template = ChecklistTemplateFactory(stages=SAVED, kind=Production.Kind.CONCERT)

    production = start(template, editor)

    stages = list(production.stages.order_by("position"))
    assert [(s.name, s.phase, s.position, s.notes) for s in stages] == [
        ("Rigging", "pre_production", 1, "Truss first."),
        ("Show", "production", 2, ""),
    ]
    items = ChecklistItem.objects.filter(stage__production=production).order_by(
        "stage__position", "position"
    )
    assert [(i.title, i.notes, i.required, i.position, i.done) for i in items] == [
        ("Book the truss", "Two spans.", False, 1, False),
        ("Check the hoists", "", True, 2, False),
        ("Doors", "", False, 1, False),
    ]
    assert production.kind == Production.Kind.CONCERT


def test_dates_of_a_production_from_a_template_count_from_its_start(editor):
    template = ChecklistTemplateFactory(stages=SAVED)

    production = start(template, editor, start_date=D(2027, 1, 20))

    rig = production.stages.get(name="Rigging")
    assert (rig.start_date, rig.due_date) == (D(2027, 1, 11), D(2027, 1, 19))
    assert production.stages.get(name="Show").due_date is None
    dues = dict(
        ChecklistItem.objects.filter(stage__production=production).values_list("title", "due_date")
    )
    assert dues == {
        "Book the truss": D(2027, 1, 12),
        "Check the hoists": None,
        "Doors": D(2027, 1, 20),
    }


def test_without_a_start_date_a_production_from_a_template_has_no_dates(editor):
    production = start(ChecklistTemplateFactory(stages=SAVED), editor)

    assert not production.stages.filter(due_date__isnull=False).exists()
    assert not ChecklistItem.objects.filter(
        stage__production=production, due_date__isnull=False
    ).exists()


def test_a_production_from_a_template_counts_right_and_is_its_creators(editor):
    template = ChecklistTemplateFactory(stages=SAVED, name="Arena show")

    production = start(template, editor, kind=Production.Kind.THEATRE)
    production.refresh_from_db()

    assert (production.item_count, production.done_count) == (3, 0)
    assert dict(production.stages.values_list("name", "item_count")) == {"Rigging": 2, "Show": 1}
    assert wrong_counters() == []
    assert production.kind == Production.Kind.THEATRE
    assert list(production.memberships.values_list("user", "level")) == [
        (editor.pk, Membership.Level.MANAGER)
    ]
    entry = Activity.objects.filter(production=production).get()
    assert (entry.kind, entry.subject) == (Kind.PRODUCTION_CREATED, "Arena Tour")
    assert entry.changes == {"template": "Arena show", "stages": 2, "items": 3}


def test_a_template_date_off_the_calendar_refuses_the_production(editor):
    template = ChecklistTemplateFactory(stages=SAVED)
    productions = Production.all_objects.count()

    with pytest.raises(services.DatesOutOfRange, match="the start of “Rigging”"):
        start(template, editor, start_date=D(1, 1, 5))

    assert Production.all_objects.count() == productions


def test_saving_then_starting_gives_the_same_shape(source, manager):
    template = services.save_as_template(source, by=manager, name="Arena show")

    copy = start(template, manager, start_date=source.start_date)

    def shape(production):
        return list(
            ChecklistItem.objects.filter(stage__production=production)
            .order_by("stage__position", "position")
            .values_list("stage__name", "title", "required", "due_date")
        )

    assert shape(copy) == shape(source)


# Savepoint and release of the test's transaction; the slug lookup;
# savepoint, production insert, release; membership insert; stages insert;
# items insert (one per 1,000 items); counters and live version; activity
# insert; the creator's time zone (their profile). The template itself is
# already loaded.
FROM_TEMPLATE_QUERIES = 12


@pytest.mark.parametrize(("stages", "items"), [(1, 1), (40, 25)])
def test_starting_from_a_template_costs_the_same_queries_at_any_size(
    editor, stages, items, django_assert_num_queries
):
    layout = [
        {
            **SAVED[1],
            "name": f"Stage {s}",
            "items": [{**SAVED[1]["items"][0], "title": f"Item {i}"} for i in range(items)],
        }
        for s in range(stages)
    ]
    template = ChecklistTemplateFactory(stages=layout)

    with django_assert_num_queries(FROM_TEMPLATE_QUERIES):
        production = start(template, editor, start_date=D(2027, 1, 1))

    assert ChecklistItem.objects.filter(stage__production=production).count() == stages * items


# The admin


def test_staff_edit_a_template_in_the_admin_and_its_shape_is_checked(staff):
    template = ChecklistTemplateFactory(name="Arena show", stages=SAVED)
    ChecklistTemplateFactory(name="Club show")
    url = reverse("admin:productions_checklisttemplate_change", args=[template.pk])
    client = client_for(staff)
    base = {"name": "Arena show", "kind": "concert", "description": "", "created_by": ""}

    bad_shape = client.post(url, {**base, "stages": '[{"name": "x"}]'})
    taken = client.post(url, {**base, "name": "CLUB SHOW", "stages": "[]"})
    saved = client.post(url, {**base, "name": "Arena (small)", "stages": "[]"})

    assertContains(bad_shape, "Stage 1: needs exactly")
    assertContains(taken, "A template with this name already exists.")
    assert saved.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.stage_count, template.item_count) == ("Arena (small)", 0, 0)
