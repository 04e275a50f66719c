from unittest import mock

import pytest
from django.db import DatabaseError

from productions import services
from productions.models import ChecklistItem, Production, Stage, StageTemplate
from tests.factories import (
    ChecklistItemFactory,
    ChecklistItemTemplateFactory,
    StageFactory,
    StageTemplateFactory,
)

pytestmark = pytest.mark.django_db

MUSIC_VIDEO = Production.Kind.MUSIC_VIDEO
OTHER = Production.Kind.OTHER


def create(user, title="Neon Nights", kind=MUSIC_VIDEO):
    return services.create_production(by=user, title=title, kind=kind)


def test_it_copies_the_kind_stage_templates_into_stages(user):
    production = create(user)

    stages = list(production.stages.values_list("position", "name", "phase"))
    templates = StageTemplate.objects.filter(kind=MUSIC_VIDEO)
    assert stages == [(n, t.name, t.phase) for n, t in enumerate(templates, start=1)]


def test_it_copies_the_checklist_item_templates_into_items(user):
    production = create(user)

    filming = production.stages.get(name="Filming")
    template = StageTemplate.objects.get(kind=MUSIC_VIDEO, name="Filming")
    assert list(filming.items.values_list("position", "title")) == list(
        template.items.values_list("position", "title")
    )


def test_it_copies_every_item_of_every_stage(user):
    production = create(user)

    for stage in production.stages.all():
        template = StageTemplate.objects.get(kind=MUSIC_VIDEO, name=stage.name)
        assert stage.items.count() == template.items.count()


def test_it_starts_every_copied_item_open(user):
    production = create(user)

    items = ChecklistItem.objects.filter(stage__production=production)
    assert items.exists()
    assert not items.filter(done=True).exists()


def test_it_records_who_created_the_production(user):
    production = create(user)

    assert production.created_by == user


def test_it_saves_nothing_when_copying_items_fails(user):
    with (
        mock.patch.object(ChecklistItem.objects, "bulk_create", side_effect=DatabaseError("boom")),
        pytest.raises(DatabaseError),
    ):
        create(user)

    assert not Production.objects.exists()
    assert not Stage.objects.exists()


@pytest.mark.parametrize(
    ("titles", "slug"),
    [
        (["Neon Nights"], "neon-nights"),
        (["Neon Nights", "Neon Nights"], "neon-nights-2"),
        (["Neon Nights", "Neon Nights", "Neon Nights"], "neon-nights-3"),
        (["Neon Nights Tour", "Neon Nights"], "neon-nights"),
        (["!!!"], "production"),
    ],
)
def test_it_gives_each_production_a_unique_slug(user, titles, slug):
    productions = [create(user, title=title) for title in titles]

    assert productions[-1].slug == slug


def test_it_uses_an_edited_template_only_for_new_productions(user):
    before = create(user, title="Before")
    template = StageTemplate.objects.get(kind=MUSIC_VIDEO, name="Filming")
    template.name = "Shoot days"
    template.save()
    template.items.create(title="Wrap party", position=99)

    after = create(user, title="After")

    assert before.stages.filter(name="Filming").exists()
    assert not before.stages.filter(name="Shoot days").exists()
    assert not ChecklistItem.objects.filter(stage__production=before, title="Wrap party").exists()
    assert after.stages.get(name="Shoot days").items.last().title == "Wrap party"


def test_it_keeps_existing_stages_when_a_template_is_deleted(user):
    production = create(user)

    StageTemplate.objects.filter(kind=MUSIC_VIDEO).delete()

    assert production.stages.count() == 6


# Savepoint and release, the creator's time zone (the production's default),
# slug lookup, savepoint, production insert, release, membership insert, stage
# templates, item templates, stages insert (with their item counts), items
# insert, the production's counters and live version, activity insert.
CREATE_QUERIES = 14


def test_it_creates_a_production_from_few_templates_in_a_fixed_number_of_queries(
    user, django_assert_num_queries
):
    with django_assert_num_queries(CREATE_QUERIES):
        production = create(user, kind=OTHER)

    assert production.stages.count() == 4


def test_it_creates_a_production_from_many_templates_in_the_same_number_of_queries(
    user, django_assert_num_queries
):
    for _ in range(6):
        ChecklistItemTemplateFactory.create_batch(3, stage_template=StageTemplateFactory())

    with django_assert_num_queries(CREATE_QUERIES):
        production = create(user, kind=OTHER)

    assert production.stages.count() == 10
    assert ChecklistItem.objects.filter(stage__production=production).count() == 10 + 18


def test_it_marks_an_item_done_with_who_and_when(user):
    item = ChecklistItemFactory()

    services.set_item_done(item, True, by=user)

    item.refresh_from_db()
    assert item.done
    assert item.done_at is not None
    assert item.done_by == user


def test_it_clears_who_and_when_when_an_item_is_reopened(user):
    item = ChecklistItemFactory()
    services.set_item_done(item, True, by=user)

    services.set_item_done(item, False, by=user)

    item.refresh_from_db()
    assert not item.done
    assert item.done_at is None
    assert item.done_by is None


def test_it_keeps_the_first_tick_when_an_item_is_ticked_twice(user, other_user):
    item = ChecklistItemFactory()
    done_at = services.set_item_done(item, True, by=user).done_at

    services.set_item_done(item, True, by=other_user)

    item.refresh_from_db()
    assert item.done_at == done_at
    assert item.done_by == user


def test_it_adds_an_item_after_the_last_one(user):
    stage = StageFactory()
    ChecklistItemFactory(stage=stage, position=3)
    ChecklistItemFactory(stage=stage, position=7)

    item = services.add_item(stage, by=user, title="Book the van")

    assert item.position == 8
    assert list(stage.items.all())[-1] == item


def test_it_adds_the_first_item_at_position_one(user):
    item = services.add_item(StageFactory(), by=user, title="Book the van")

    assert item.position == 1


def test_it_ignores_other_stages_when_positioning_a_new_item(user):
    stage = StageFactory()
    ChecklistItemFactory(stage=StageFactory(production=stage.production), position=5)

    item = services.add_item(stage, by=user, title="Book the van")

    assert item.position == 1
