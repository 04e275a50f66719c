import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from productions.models import (
    Assignment,
    ChecklistItem,
    CrewMember,
    Membership,
    Production,
    Stage,
)

pytestmark = pytest.mark.django_db

MODELS = [Production, Stage, ChecklistItem, CrewMember, Assignment]


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_loads_the_demo_data():
    load_demo()

    assert all(counts().values())


def test_it_duplicates_nothing_when_run_again(settings):
    settings.DEBUG = True
    load_demo()
    first = counts()

    load_demo()

    assert counts() == first
    assert get_user_model().objects.filter(username="demo").count() <= 1


@pytest.mark.parametrize("kind", [Production.Kind.MUSIC_VIDEO, Production.Kind.CONCERT])
def test_it_creates_a_production_under_way_of_each_kind(kind):
    load_demo()

    production = Production.objects.get(kind=kind)
    items = ChecklistItem.objects.filter(stage__production=production)
    assert production.assignments.exists()
    assert items.filter(done=True).exists()
    assert items.filter(done=False).exists()
    assert items.filter(done=False, assignee__isnull=False).exists()


def test_it_assigns_crew_in_their_default_roles():
    load_demo()

    assert Assignment.objects.exists()
    for assignment in Assignment.objects.select_related("crew_member"):
        assert assignment.role_id == assignment.crew_member.default_role_id


def test_it_creates_the_demo_login_for_local_development(settings):
    if connection.vendor != "sqlite":
        pytest.skip("The demo login is only created on SQLite.")
    settings.DEBUG = True

    load_demo()

    user = get_user_model().objects.get(username="demo")
    assert user.check_password("demo")
    assert user.is_superuser


def test_it_never_creates_the_demo_login_on_postgresql(settings):
    if connection.vendor == "sqlite":
        pytest.skip("Needs a database other than SQLite.")
    settings.DEBUG = True

    load_demo()

    assert not get_user_model().objects.filter(username="demo").exists()


def test_it_creates_no_demo_login_without_debug(settings):
    settings.DEBUG = False

    load_demo()

    assert not get_user_model().objects.filter(username="demo").exists()


def test_it_creates_a_crew_login_that_edits_one_production_only(settings):
    if connection.vendor != "sqlite":
        pytest.skip("The demo logins are only created on SQLite.")
    settings.DEBUG = True

    load_demo()
    load_demo()

    crew = get_user_model().objects.get(username="crew")
    assert crew.check_password("crew")
    assert not crew.is_staff
    assert list(crew.memberships.values_list("production__title", "level")) == [
        ("Neon Nights", Membership.Level.EDITOR)
    ]


def test_the_demo_login_manages_the_demo_productions(settings):
    if connection.vendor != "sqlite":
        pytest.skip("The demo logins are only created on SQLite.")
    settings.DEBUG = True

    load_demo()

    demo = get_user_model().objects.get(username="demo")
    assert set(demo.memberships.values_list("level", flat=True)) == {Membership.Level.MANAGER}
    assert demo.memberships.count() == Production.objects.count()


def test_the_demo_logins_have_work_due_around_today(settings):
    if connection.vendor != "sqlite":
        pytest.skip("The demo logins are only created on SQLite.")
    settings.DEBUG = True

    load_demo()

    for username in ("demo", "crew"):
        mine = ChecklistItem.objects.filter(assignee__user__username=username, done=False)
        assert mine.filter(due_date__lt=timezone.localdate()).exists()
        assert mine.filter(due_date__gte=timezone.localdate()).exists()


def run_load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_it_says_to_log_in_as_demo_only_where_the_demo_login_exists(settings):
    settings.DEBUG = True
    last_line = run_load_demo()

    if connection.vendor == "sqlite":
        assert last_line == "Log in as demo / demo, or crew / crew."
    else:
        assert "demo / demo" not in last_line
        assert last_line.startswith("No demo login here")


def test_without_debug_it_does_not_offer_the_demo_login(settings):
    settings.DEBUG = False

    last_line = run_load_demo()

    assert "demo / demo" not in last_line
    assert "createsuperuser" in last_line


def test_a_changed_demo_password_is_not_offered(settings):
    settings.DEBUG = True
    User = get_user_model()
    User.objects.create_user("demo", password="changed-it", is_staff=True)
    User.objects.create_user("crew", password="crew")

    last_line = run_load_demo()

    assert last_line == "Log in as crew / crew."


def test_make_run_prints_no_login_of_its_own():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert "demo / demo" not in makefile


def test_the_demo_has_shoot_days_with_calls_and_one_conflict():
    from productions import schedule_queries
    from productions.models import ShootDay

    load_demo()
    neon = Production.objects.get(title="Neon Nights")
    days = ShootDay.objects.filter(production=neon)
    assert days.count() == 3
    assert all(day.calls.exists() for day in days)
    page = schedule_queries.schedule(neon, timezone.get_current_timezone())
    assert [conflict.kind for conflict in page.conflicts] == ["overlap"]
    assert "Ava Novak" in page.conflicts[0].message
