"""The progress counters on stages and productions stay right."""

import io

import pytest
from django.core.management import CommandError, call_command

from productions import services
from productions.models import Production, Stage
from productions.services.counters import wrong_counters
from tests.factories import ChecklistItemFactory, StageFactory


@pytest.fixture
def stage(production):
    return StageFactory(production=production)


def counts(production):
    production = Production.all_objects.get(pk=production.pk)
    return production.item_count, production.done_count


def test_every_checklist_write_keeps_the_counters_right(production, stage, editor, manager):
    other = StageFactory(production=production)
    a = services.add_item(stage, by=editor, title="A")
    b = services.add_item(stage, by=editor, title="B")
    c = services.add_item(other, by=editor, title="C")
    services.set_item_done(a, True, by=editor)
    services.set_item_done(c, True, by=editor)
    assert counts(production) == (3, 2)
    services.delete_item(a, by=editor)
    assert counts(production) == (2, 1)
    services.restore_item(a, by=editor)
    assert counts(production) == (3, 2)
    services.delete_stage(other, by=manager)
    assert counts(production) == (2, 1)
    services.restore_stage(other, by=manager)
    services.set_item_done(b, True, by=editor)
    services.delete_item(b, by=editor)
    services.empty_trash(production, by=manager)

    assert counts(production) == (2, 2)
    assert Stage.objects.get(pk=stage.pk).progress.total == 1
    assert wrong_counters() == []


def test_check_counters_finds_and_fixes_a_wrong_counter(production, stage):
    ChecklistItemFactory.create_batch(3, stage=stage)
    Stage.objects.filter(pk=stage.pk).update(item_count=99)

    with pytest.raises(CommandError):
        call_command("check_counters", stdout=io.StringIO())
    call_command("check_counters", "--fix", stdout=io.StringIO())

    assert wrong_counters() == []
    assert Stage.objects.get(pk=stage.pk).item_count == 3


def test_a_new_production_counts_its_template_items(manager):
    production = services.create_production(by=manager, title="Tour", kind="concert")

    assert production.item_count > 0
    assert wrong_counters() == []
