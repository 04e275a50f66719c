"""The schedule's writers at the same time, on PostgreSQL (see
tests/test_concurrency.py): no deadlock, no lost entry, one winner for two
saves of the same version."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from productions.models import Activity, Call, ShootDay
from productions.services import schedule as services
from productions.services.checklist import set_item_done
from tests.conftest import client_for
from tests.factories import (
    CallFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    LocationFactory,
    ShootDayFactory,
    StageFactory,
)
from tests.test_concurrency import race

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serializes all writes",
    ),
    pytest.mark.django_db(transaction=True),
]

D1 = datetime.date(2030, 3, 1)


def test_two_saves_of_the_same_day_version_one_wins_one_is_told(production, editor, manager):
    day = ShootDayFactory(production=production, date=D1)
    data = lambda weather: {  # noqa: E731
        "date": "2030-03-01",
        "kind": "shoot",
        "weather": weather,
        "version": day.version,
    }
    url = reverse("day_edit", args=[day.pk])
    first, second = client_for(editor), client_for(manager)
    results = race(lambda: first.post(url, data("Rain")), lambda: second.post(url, data("Sun")))
    assert sorted(r.status_code for r in results) == [302, 409]
    assert Activity.objects.filter(kind="day_edited").count() == 1


def test_every_schedule_writer_at_once_neither_deadlocks_nor_loses_an_entry(production, editor):
    stage = StageFactory(production=production)
    item = ChecklistItemFactory(stage=stage)
    location = LocationFactory()
    gone = [one_round(production, editor, stage, item, location, n) for n in range(3)]
    assert ShootDay.all_objects.filter(production=production).count() == 12
    assert not Call.objects.filter(pk__in=gone).exists()


def one_round(production, editor, stage, item, location, n):
    """Every writer of the schedule, and a tick, released at once."""
    date = D1 + datetime.timedelta(days=10 * n)
    day = ShootDayFactory(production=production, date=date, stage=stage)
    other = ShootDayFactory(production=production, date=date)
    call = CallFactory(day=day)
    gone = CallFactory(day=day)
    before = Activity.objects.count()
    race(
        lambda: services.add_day(production, by=editor, date=date, locations=[location]),
        lambda: services.update_day(day, by=editor, weather=f"w{n}", stage=stage),
        lambda: services.add_call(day, by=editor, crew_member=CrewMemberFactory()),
        lambda: services.update_call(call, by=editor, notes=f"n{n}"),
        lambda: services.remove_call(gone, by=editor),
        lambda: services.duplicate_day(day, by=editor, date=date),
        lambda: services.move_day(other, by=editor, date=date + datetime.timedelta(days=1)),
        lambda: set_item_done(item, n % 2 == 0, by=editor),
    )
    assert Activity.objects.count() - before == 8
    return gone.pk
