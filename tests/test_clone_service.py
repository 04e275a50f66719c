"""Cloning a production, the service (issue 6, capability 7): stages, items
and crew copied, done-state cleared, every date shifted by the offset, the
counters right, the source untouched, one activity entry, and a query count
that does not grow with the production. The page is in tests/test_clone_pages.py."""

import datetime

import pytest

from productions import services
from productions.models import Activity, Assignment, ChecklistItem, Membership, Production, Stage
from productions.services.counters import recount_production, wrong_counters
from tests.clone_source import dated_half_done
from tests.factories import AssignmentFactory, CrewMemberFactory, CrewRoleFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = Activity.Kind


@pytest.fixture
def source(production, manager):
    """Neon Nights, dated and half done (see tests/clone_source.py)."""
    return dated_half_done(production, manager)


def clone(source, user, title="Neon Nights II", offset_days=0):
    return services.clone_production(source, by=user, title=title, offset_days=offset_days)


def test_a_clone_copies_the_details_and_starts_as_a_new_plan(source, editor):
    copy = clone(source, editor)

    assert copy.pk != source.pk
    assert copy.slug == "neon-nights-ii"
    assert (copy.title, copy.kind, copy.artist, copy.venue, copy.description) == (
        "Neon Nights II",
        Production.Kind.CONCERT,
        "The Neons",
        "Roundhouse",
        "Two nights.",
    )
    assert (copy.start_date, copy.end_date) == (D(2026, 3, 10), D(2026, 3, 11))
    assert copy.status == Production.Status.PLANNING
    assert copy.archived_at is None
    assert copy.created_by == editor


def test_a_clone_copies_the_live_stages_back_to_not_started(source, editor):
    copy = clone(source, editor)

    stages = list(copy.stages.order_by("position"))
    assert [(s.name, s.phase, s.position, s.notes) for s in stages] == [
        ("Rigging", "pre_production", 1, "Truss first."),
        ("Show", "production", 2, ""),
    ]
    assert {s.status for s in stages} == {Stage.Status.NOT_STARTED}
    assert not any(s.status_manual or s.status_set_by_id or s.status_set_at for s in stages)
    assert not Stage.all_objects.filter(production=copy, name="Gone").exists()


def test_a_clone_copies_the_live_items_with_their_done_state_cleared(source, editor):
    copy = clone(source, editor)

    items = ChecklistItem.all_objects.filter(stage__production=copy).order_by(
        "stage__position", "position"
    )
    rows = [
        (i.stage.name, i.title, i.notes, i.assignee.name if i.assignee else None, i.required)
        for i in items.select_related("stage", "assignee")
    ]
    assert rows == [
        ("Rigging", "Book the truss", "Two spans.", "Gus Gaffer", True),
        ("Rigging", "Check the hoists", "", None, False),
        ("Show", "Doors", "", None, False),
    ]
    assert not items.filter(done=True).exists()
    assert not items.filter(done_at__isnull=False).exists()
    assert not items.filter(done_by__isnull=False).exists()
    assert not items.filter(deleted_at__isnull=False).exists()


def test_a_clone_copies_the_crew(source, editor):
    copy = clone(source, editor)

    crew = Assignment.objects.filter(production=copy).values_list("crew_member__name", "role__name")
    assert sorted(crew) == [("Gus Gaffer", "Gaffer"), ("Gus Gaffer", "Rigger")]


def test_the_one_who_clones_manages_the_clone_and_no_other_member_comes_along(
    source, editor, viewer
):
    copy = clone(source, editor)

    assert list(copy.memberships.values_list("user__username", "level")) == [
        ("eddie", Membership.Level.MANAGER)
    ]


def test_every_date_of_the_clone_moves_by_the_offset(source, editor):
    copy = clone(source, editor, offset_days=7)

    assert (copy.start_date, copy.end_date) == (D(2026, 3, 17), D(2026, 3, 18))
    rig = copy.stages.get(name="Rigging")
    assert (rig.start_date, rig.due_date) == (D(2026, 3, 8), D(2026, 3, 16))
    dues = dict(
        ChecklistItem.objects.filter(stage__production=copy).values_list("title", "due_date")
    )
    assert dues == {
        "Book the truss": D(2026, 3, 9),
        "Check the hoists": None,
        "Doors": D(2026, 3, 17),
    }


def test_a_negative_offset_moves_the_dates_earlier(source, editor):
    copy = clone(source, editor, offset_days=-10)

    assert (copy.start_date, copy.end_date) == (D(2026, 2, 28), D(2026, 3, 1))
    assert copy.stages.get(name="Rigging").start_date == D(2026, 2, 19)


def test_the_counters_of_the_clone_match_its_rows(source, editor):
    copy = clone(source, editor)
    copy.refresh_from_db()

    assert (copy.item_count, copy.done_count) == (3, 0)
    counts = dict(copy.stages.values_list("name", "item_count"))
    assert counts == {"Rigging": 2, "Show": 1}
    assert set(copy.stages.values_list("done_count", flat=True)) == {0}
    assert wrong_counters() == []


def test_the_source_is_left_as_it_was(source, editor):
    before = (source.item_count, source.done_count, source.live_version)
    entries = Activity.objects.filter(production=source).count()

    clone(source, editor, offset_days=5)

    source.refresh_from_db()
    assert (source.item_count, source.done_count, source.live_version) == before
    assert Activity.objects.filter(production=source).count() == entries
    assert source.stages.get(name="Rigging").status == Stage.Status.DONE
    assert ChecklistItem.objects.get(stage__production=source, title="Book the truss").done


def test_one_activity_entry_on_the_clone_names_the_source(source, editor):
    copy = clone(source, editor, offset_days=7)

    entries = list(Activity.objects.filter(production=copy))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.kind, entry.subject, entry.actor) == (
        Kind.PRODUCTION_CLONED,
        "Neon Nights",
        editor,
    )
    assert entry.changes == {"offset_days": 7, "stages": 2, "items": 3, "crew": 2}
    assert str(entry) == "eddie created the production as a copy of Neon Nights"


def test_a_clone_with_the_same_title_gets_its_own_address(source, editor):
    first = clone(source, editor, title="Neon Nights")
    second = clone(source, editor, title="Neon Nights")

    assert len({source.slug, first.slug, second.slug}) == 3


def test_a_date_pushed_off_the_calendar_refuses_the_whole_clone(source, editor):
    productions = Production.all_objects.count()

    with pytest.raises(services.DatesOutOfRange, match="outside the calendar"):
        clone(source, editor, offset_days=3_000_000)

    assert Production.all_objects.count() == productions


def test_a_date_near_the_end_of_the_calendar_refuses_the_clone_by_name(source, editor):
    Stage.objects.filter(production=source, name="Show").update(due_date=D(9999, 12, 1))

    with pytest.raises(services.DatesOutOfRange, match="due date of “Show”"):
        clone(source, editor, offset_days=31)


# Savepoints of the test's transaction; stages, items and crew read; the
# slug lookup; savepoint, production insert, release; membership insert;
# stages, items and crew inserted; the new production's counters and live
# version; the activity insert.
CLONE_QUERIES = 15


def _grow(production, stages, items_per_stage):
    crew = CrewMemberFactory()
    role = CrewRoleFactory()
    AssignmentFactory(production=production, crew_member=crew, role=role)
    for s in range(stages):
        stage = Stage.objects.create(production=production, name=f"Stage {s}", position=s)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(stage=stage, title=f"Item {s}.{i}", position=i, assignee=crew)
            for i in range(items_per_stage)
        )
    recount_production(production.pk)


@pytest.mark.parametrize(("stages", "items_per_stage"), [(1, 2), (12, 60)])
def test_cloning_costs_the_same_queries_at_any_size(
    production, editor, stages, items_per_stage, django_assert_num_queries
):
    _grow(production, stages, items_per_stage)

    with django_assert_num_queries(CLONE_QUERIES):
        copy = clone(production, editor)

    assert ChecklistItem.objects.filter(stage__production=copy).count() == stages * items_per_stage
    assert wrong_counters() == []
