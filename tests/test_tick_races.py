"""The tick (services.set_item_done) racing other writers, on PostgreSQL.

Each call runs in its own thread with its own connection and really
commits (transaction=True), so row locks really block. What is pinned: a
tick either lands whole (item, stage and production counters, live version,
one activity entry) or writes nothing, whatever it races; and it never
deadlocks with the writers that take the lock order of services/locks.py.

The last tests reproduce, step by step, what deadlocked before moving an
item in front of another and moving a stage took that order too.
"""

from collections import Counter
from functools import partial

import pytest

from productions import services
from productions.exceptions import Gone
from productions.models import Activity, ChecklistItem, Membership, Production
from productions.services.counters import recount_production, wrong_counters
from productions.services.stages import move_stage
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, MembershipFactory, StageFactory, UserFactory
from tests.races import in_order, postgresql_only, race

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]

Kind = Activity.Kind


def tick(item, done, *, by):
    """The tick, and whether it wrote: the item it changed, or None when it
    found the item as asked already, or gone (and so wrote nothing)."""
    try:
        current = services.set_item_done(item, done, by=by)
    except Gone:
        return None
    kind = Kind.ITEM_TICKED if done else Kind.ITEM_UNTICKED
    wrote = Activity.objects.filter(item_id=item.pk, actor=by, kind=kind).exists()
    return current if wrote else None


def editors(production, count):
    users = [UserFactory(username=f"ticker{n}") for n in range(count)]
    for user in users:
        MembershipFactory(production=production, user=user, level=Membership.Level.EDITOR)
    return users


def landed_whole(ticked, item_pk, done):
    """A ticked item means the item, its entry and the counters moved; None
    means none of it did (the counters are checked by the caller)."""
    item = ChecklistItem.all_objects.get(pk=item_pk)
    entries = Activity.objects.filter(item_id=item_pk, kind=Kind.ITEM_TICKED).count()
    if ticked is None:
        return entries == 0 and item.done != done
    return item.done == done and entries == 1 and item.done_by_id is not None


def test_ticks_of_one_item_at_once_tick_it_once(production):
    stage = StageFactory(production=production)
    users = editors(production, 4)
    for _ in range(5):
        item = ChecklistItemFactory(stage=stage)
        recount_production(production.pk)
        version = Production.objects.get(pk=production.pk).live_version

        results = race(*(partial(tick, item, True, by=u) for u in users))

        assert sum(result is not None for result in results) == 1, results
        assert Activity.objects.filter(item=item, kind=Kind.ITEM_TICKED).count() == 1
        assert Production.objects.get(pk=production.pk).live_version == version + 1
        assert wrong_counters() == []


def test_a_tick_and_an_untick_of_one_item_at_once_keep_the_counters_right(production):
    stage = StageFactory(production=production)
    ticker, unticker = editors(production, 2)
    outcomes = Counter()
    for _ in range(10):
        item = ChecklistItemFactory(stage=stage)
        recount_production(production.pk)

        on, off = race(
            partial(tick, item, True, by=ticker),
            partial(tick, item, False, by=unticker),
        )

        outcomes[(on is not None, off is not None)] += 1
        assert on is not None or off is None  # nothing to untick before the tick
        assert ChecklistItem.objects.get(pk=item.pk).done == (on is not None and off is None)
        assert wrong_counters() == []
    print(f"\n(tick landed, untick landed): {dict(outcomes)}")


def test_a_tick_racing_the_stage_delete_lands_whole_or_not_at_all(production, manager):
    users = editors(production, 3)
    outcomes = Counter()
    for n in range(10):
        stage = StageFactory(production=production, name=f"Stage {n}")
        items = [ChecklistItemFactory(stage=stage) for _ in users]
        recount_production(production.pk)

        *ticks, _ = race(
            *(partial(tick, i, True, by=u) for u, i in zip(users, items, strict=True)),
            partial(services.delete_stage, stage, by=manager),
        )

        for ticked, item in zip(ticks, items, strict=True):
            assert landed_whole(ticked, item.pk, True)
            outcomes[ticked is not None] += 1
        assert wrong_counters() == []
    print(f"\nticks landed (True) or not (False) against a stage delete: {dict(outcomes)}")


def post_tick(user, item_pk):
    """A tick as the browser sends it; its status code."""
    response = client_for(user).post(f"/items/{item_pk}/toggle/", {"done": "1"}, **HTMX)
    return response.status_code


def test_a_tick_racing_a_bulk_move_counts_it_on_the_stage_it_went_to(production, manager):
    source = StageFactory(production=production, name="Source", position=1)
    target = StageFactory(production=production, name="Target", position=2)
    users = editors(production, 4)
    for _ in range(5):
        ChecklistItem.all_objects.all().delete()
        items = [ChecklistItemFactory(stage=source) for _ in users]
        recount_production(production.pk)

        *ticks, _ = race(
            *(partial(post_tick, u, i.pk) for u, i in zip(users, items, strict=True)),
            partial(
                services.bulk_edit,
                production,
                [i.pk for i in items],
                "move",
                by=manager,
                stage=target,
            ),
        )

        # Before or after the move, each tick lands and counts on the stage
        # the item is on (it locks the item with its stage): the counters agree.
        assert ticks == [200] * len(items)
        assert ChecklistItem.objects.filter(stage=target, done=True).count() == len(items)
        ticked = Activity.objects.filter(kind=Kind.ITEM_TICKED, item__in=items)
        assert ticked.count() == len(items)
        assert wrong_counters() == []


def test_a_tick_racing_a_membership_removal_lands_whole_or_not_at_all(production, manager):
    stage = StageFactory(production=production)
    outcomes = Counter()
    for n in range(10):
        user = UserFactory(username=f"leaving{n}")
        membership = MembershipFactory(
            production=production, user=user, level=Membership.Level.EDITOR
        )
        item = ChecklistItemFactory(stage=stage)
        recount_production(production.pk)

        # The page checks access before the tick: a removal after that
        # check is too late to stop it (as for every write), before it 404.
        status, _ = race(
            partial(post_tick, user, item.pk),
            partial(services.remove_member, membership, by=manager),
        )

        assert status in (200, 404)
        ticked = status == 200 or None
        assert landed_whole(ticked, item.pk, True)
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert wrong_counters() == []
        outcomes[ticked is not None] += 1
    print(f"\nticks landed (True) or not (False) against a removal: {dict(outcomes)}")


def test_a_tick_racing_a_move_in_front_of_its_item_does_not_deadlock(production, manager):
    stage = StageFactory(production=production)
    first, second, last = (ChecklistItemFactory(stage=stage, position=p) for p in (1, 2, 3))
    (ticker,) = editors(production, 1)
    recount_production(production.pk)

    # The move takes `last` and waits for the stage; the tick takes `second`
    # and waits for the stage too. The move gets the stage first, then needs
    # `second` to shift it down.
    in_order(
        stage,
        lambda: services.move_item(last, by=manager, before=first),
        lambda: services.set_item_done(second, True, by=ticker),
    )

    assert ChecklistItem.objects.get(pk=second.pk).done
    assert wrong_counters() == []


def test_a_tick_racing_a_stage_move_does_not_deadlock(production, manager):
    first = StageFactory(production=production, position=1)
    second = StageFactory(production=production, position=2)
    item = ChecklistItemFactory(stage=second)
    (ticker,) = editors(production, 1)
    recount_production(production.pk)

    # The tick takes the item and waits for `second`; the move locks `first`
    # (and, through its join, the production) and waits for `second` too.
    in_order(
        second,
        lambda: services.set_item_done(item, True, by=ticker),
        lambda: move_stage(first, by=manager, direction="down"),
    )

    assert ChecklistItem.objects.get(pk=item.pk).done
    assert wrong_counters() == []


def test_a_bulk_change_and_a_move_of_its_items_do_not_deadlock(production, manager):
    stage = StageFactory(production=production)
    first, last = (ChecklistItemFactory(stage=stage, position=p) for p in (1, 2))
    recount_production(production.pk)

    # The bulk change waits for `first` (it locks in id order); the move locks
    # `last` and waits for `first` too (to shift it). They used to each get
    # one and wait for the other.
    in_order(
        first,
        lambda: services.bulk_edit(production, [first.pk, last.pk], "due", by=manager),
        lambda: services.move_item(last, by=manager, before=first),
    )

    assert list(stage.items.order_by("position").values_list("pk", flat=True)) == [
        last.pk,
        first.pk,
    ]
    assert wrong_counters() == []


def test_two_moves_in_front_of_one_item_at_once_do_not_deadlock(production, manager):
    stage = StageFactory(production=production)
    first, second, last = (ChecklistItemFactory(stage=stage, position=p) for p in (1, 2, 3))
    recount_production(production.pk)
    # Each move holds its own item and then waits for the rows it shifts,
    # `first` among them (held here): they used to hold each other's item.
    in_order(
        first,
        lambda: services.move_item(last, by=manager, before=first),
        lambda: services.move_item(second, by=manager, before=first),
    )

    order = list(stage.items.order_by("position").values_list("pk", flat=True))
    assert order[-1] == first.pk
    assert set(order) == {first.pk, second.pk, last.pk}
    assert wrong_counters() == []
