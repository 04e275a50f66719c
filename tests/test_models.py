import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from productions.models import CrewMember, Production, Progress
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    ProductionFactory,
)

pytestmark = pytest.mark.django_db

MAY_1 = datetime.date(2026, 5, 1)
MAY_2 = datetime.date(2026, 5, 2)


def test_it_rejects_a_production_ending_before_it_starts():
    with (
        pytest.raises(IntegrityError, match="production_end_not_before_start"),
        transaction.atomic(),
    ):
        ProductionFactory(start_date=MAY_2, end_date=MAY_1)

    assert not Production.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), (MAY_1, None), (None, MAY_1), (MAY_1, MAY_1), (MAY_1, MAY_2)],
)
def test_it_allows_missing_or_ordered_production_dates(start, end):
    ProductionFactory(start_date=start, end_date=end)

    assert Production.objects.count() == 1


def test_it_rejects_the_same_role_twice_for_a_crew_member_on_a_production():
    assignment = AssignmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(
            production=assignment.production,
            crew_member=assignment.crew_member,
            role=assignment.role,
        )


def test_it_allows_a_crew_member_several_roles_on_a_production():
    assignment = AssignmentFactory()

    AssignmentFactory(production=assignment.production, crew_member=assignment.crew_member)

    assert assignment.production.assignments.count() == 2


def test_it_rejects_a_crew_email_that_differs_only_in_case():
    CrewMemberFactory(email="mina.park@example.com")

    with pytest.raises(IntegrityError, match="crew_member_unique_email"), transaction.atomic():
        CrewMemberFactory(email="Mina.Park@Example.COM")


def test_it_allows_many_crew_members_without_an_email():
    CrewMemberFactory(email="")
    CrewMemberFactory(email="")
    CrewMemberFactory(email="")

    assert CrewMember.objects.filter(email="").count() == 3


def test_it_rejects_a_done_item_without_done_at():
    with (
        pytest.raises(IntegrityError, match="checklist_item_done_has_done_at"),
        transaction.atomic(),
    ):
        ChecklistItemFactory(done=True, done_at=None)


def test_it_accepts_a_done_item_with_done_at():
    item = ChecklistItemFactory(done=True, done_at=timezone.now())

    assert item.pk is not None


@pytest.mark.parametrize(
    ("done", "total", "percent"),
    [(0, 0, 0), (0, 3, 0), (1, 3, 33), (2, 3, 67), (3, 3, 100)],
)
def test_it_rounds_progress_to_a_whole_percent(done, total, percent):
    assert Progress(done, total).percent == percent
