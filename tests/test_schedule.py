"""The schedule (issue 16): shoot days, calls, locations, conflicts, the
schedule page, and call sheets (page and PDF)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from productions import schedule_queries
from productions.exceptions import Conflict, Gone
from productions.models import Activity, Call, Production, ShootDay
from productions.services import schedule as services
from productions.services.productions import create_production
from productions.services.profile import set_time_zone
from tests.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    CallFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    LocationFactory,
    ProductionFactory,
    ShootDayFactory,
    StageFactory,
)

D1 = datetime.date(2030, 3, 1)
T = datetime.time
ZONE = datetime.UTC


def kinds(production):
    return list(Activity.objects.filter(production=production).values_list("kind", flat=True))


# Models and constraints


@pytest.mark.django_db
def test_a_call_is_for_a_crew_member_or_a_member_not_both(production, editor):
    day = ShootDayFactory(production=production)
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.create(day=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.create(day=day, crew_member=CrewMemberFactory(), user=editor)


@pytest.mark.django_db
def test_a_person_is_called_once_a_day(production):
    call = CallFactory(day=ShootDayFactory(production=production))
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.create(day=call.day, crew_member=call.crew_member)


@pytest.mark.django_db
def test_a_wrap_after_midnight_needs_a_wrap_time(production):
    with pytest.raises(IntegrityError), transaction.atomic():
        ShootDayFactory(production=production, wrap_time=None, wraps_next_day=True)


@pytest.mark.django_db
def test_a_day_outside_1900_2200_is_refused_by_the_database(production):
    with pytest.raises(IntegrityError), transaction.atomic():
        ShootDayFactory(production=production, date=datetime.date(2201, 1, 1))


@pytest.mark.django_db
def test_a_new_production_takes_its_creators_time_zone(user):
    set_time_zone(user, "Europe/Paris", by=user)
    production = create_production(by=user, title="Zoned", kind="concert")
    assert production.time_zone == "Europe/Paris"
    assert str(production.zone) == "Europe/Paris"
    chosen = create_production(by=user, title="Tokyo", kind="concert", time_zone="Asia/Tokyo")
    assert chosen.time_zone == "Asia/Tokyo"


# Services


@pytest.mark.django_db
def test_add_edit_move_duplicate_delete_restore_each_log_one_entry(production, editor):
    location = LocationFactory()
    day = services.add_day(
        production, by=editor, date=D1, call_time=T(7), wrap_time=T(19), locations=[location]
    )
    CallFactory(day=day)
    day = services.update_day(day, by=editor, version=day.version, weather="Sunny")
    assert day.version == 2
    with pytest.raises(Conflict):
        services.update_day(day, by=editor, version=1, weather="Rain")
    day = services.move_day(day, by=editor, date=D1 + datetime.timedelta(days=1))
    copy = services.duplicate_day(day, by=editor, date=D1 + datetime.timedelta(days=2))
    assert copy.calls.count() == 1
    assert list(copy.locations.all()) == [location]
    services.delete_day(day, by=editor)
    assert not ShootDay.objects.filter(pk=day.pk).exists()
    with pytest.raises(Gone):
        services.update_day(day, by=editor, weather="x")
    services.restore_day(day, by=editor)
    assert kinds(production) == [
        "day_restored",
        "day_deleted",
        "day_duplicated",
        "day_moved",
        "day_edited",
        "day_added",
    ]


@pytest.mark.django_db
def test_a_wrap_before_the_call_needs_the_next_day_flag(production, editor):
    with pytest.raises(ValidationError):
        services.add_day(production, by=editor, date=D1, call_time=T(18), wrap_time=T(2))
    day = services.add_day(
        production, by=editor, date=D1, call_time=T(18), wrap_time=T(2), wraps_next_day=True
    )
    assert day.wraps_next_day


@pytest.mark.django_db
def test_calls_add_edit_remove_with_entries(production, editor):
    day = ShootDayFactory(production=production)
    person = CrewMemberFactory(name="Cam Op")
    call = services.add_call(day, by=editor, crew_member=person, call_time=T(6, 30))
    with pytest.raises(ValidationError):
        services.add_call(day, by=editor, crew_member=person)
    with pytest.raises(ValidationError):
        services.add_call(day, by=editor)
    call = services.update_call(call, by=editor, version=call.version, call_time=T(6))
    with pytest.raises(Conflict):
        services.update_call(call, by=editor, version=1, call_time=T(5))
    services.remove_call(call, by=editor)
    assert kinds(production) == ["call_removed", "call_edited", "call_added"]
    entry = Activity.objects.filter(kind="call_edited").get()
    assert entry.changes == {"call_time": ["06:30", "06:00"]}


# Conflicts


SEVEN, NINETEEN = T(7), T(19)


def _day(production, date=D1, call=SEVEN, wrap=NINETEEN, **kw):
    return ShootDayFactory(production=production, date=date, call_time=call, wrap_time=wrap, **kw)


@pytest.mark.django_db
def test_a_person_on_two_productions_at_once_is_a_conflict(production):
    person = CrewMemberFactory(name="Dana Double")
    ours = _day(production)
    theirs = _day(ProductionFactory(title="Other Show"), call=T(15), wrap=T(23))
    CallFactory(day=ours, crew_member=person)
    CallFactory(day=theirs, crew_member=person)
    found = schedule_queries.conflicts([ShootDay.objects.get(pk=ours.pk)])
    assert [c.kind for c in found] == ["overlap"]
    assert "Dana Double" in found[0].message
    assert "Other Show" in found[0].message


@pytest.mark.django_db
def test_zones_are_compared_as_instants(production):
    """07:00-12:00 in Paris and 07:00-12:00 in New York do not overlap."""
    production.time_zone = "Europe/Paris"
    production.save()
    other = ProductionFactory(time_zone="America/New_York")
    person = CrewMemberFactory()
    CallFactory(day=_day(production, wrap=T(12)), crew_member=person)
    CallFactory(day=_day(other, wrap=T(12)), crew_member=person)
    days = list(ShootDay.objects.filter(production=production))
    assert [c.kind for c in schedule_queries.conflicts(days)] == ["rest"]  # 1 h apart


@pytest.mark.django_db
def test_less_than_ten_hours_rest_is_a_conflict(production):
    person = CrewMemberFactory()
    first = _day(production, call=T(14), wrap=T(1), wraps_next_day=True)
    second = _day(production, date=D1 + datetime.timedelta(days=1), call=T(9), wrap=T(18))
    third = _day(production, date=D1 + datetime.timedelta(days=3), call=T(9), wrap=T(18))
    for day in (first, second, third):
        CallFactory(day=day, crew_member=person)
    found = schedule_queries.conflicts(list(ShootDay.objects.all()))
    assert [c.kind for c in found] == ["rest"]
    assert "8 h 00" in found[0].message


@pytest.mark.django_db
def test_same_date_different_locations_and_double_booked_location(production):
    studio, beach = LocationFactory(name="Studio"), LocationFactory(name="Beach")
    person = CrewMemberFactory()
    morning = _day(production, call=T(6), wrap=T(10))
    morning.locations.set([studio])
    evening = _day(ProductionFactory(), call=T(21), wrap=T(23))
    evening.locations.set([beach])
    CallFactory(day=morning, crew_member=person)
    CallFactory(day=evening, crew_member=person)
    clash = _day(ProductionFactory(title="Clash"), call=T(8), wrap=T(12))
    clash.locations.set([studio])
    found = schedule_queries.conflicts([ShootDay.objects.get(pk=morning.pk)])
    assert sorted(c.kind for c in found) == ["location", "places"]


@pytest.mark.django_db
def test_a_crew_member_with_a_login_is_one_person_with_that_member(production, editor):
    crew = CrewMemberFactory(user=editor)
    CallFactory(day=_day(production), crew_member=crew)
    Call.objects.create(day=_day(ProductionFactory()), user=editor)
    found = schedule_queries.conflicts(list(ShootDay.objects.filter(production=production)))
    assert [c.kind for c in found] == ["overlap"]


@pytest.mark.django_db
def test_keep_anyway_is_logged_and_shown_as_kept(production, editor):
    person = CrewMemberFactory()
    ours = _day(production)
    CallFactory(day=ours, crew_member=person)
    CallFactory(day=_day(ProductionFactory()), crew_member=person)
    client = client_for(editor)
    page = client.get(reverse("call_sheet", args=[ours.pk]))
    key = schedule_queries.conflicts([ours])[0].key
    assertContains(page, "Keep anyway")
    response = client.post(reverse("conflict_keep", args=[ours.pk]), {"conflict": key})
    assert response.status_code == 302
    assert Activity.objects.filter(kind="conflict_kept", production=production).count() == 1
    page = client.get(reverse("schedule", args=[production.slug]))
    assertContains(page, "Kept anyway")
    assertNotContains(page, ">Keep anyway<")


# Pages


@pytest.fixture
def planned(production):
    stage = StageFactory(production=production, name="Shoot")
    role = CrewRoleFactory(name="Gaffer")
    people = [CrewMemberFactory(name=f"Person {n}") for n in range(3)]
    for person in people:
        AssignmentFactory(production=production, crew_member=person, role=role)
    days = [_day(production, date=D1 + datetime.timedelta(days=n), stage=stage) for n in range(3)]
    days.append(_day(production, date=D1 + datetime.timedelta(days=3), kind="day_off"))
    CallFactory(day=days[0], crew_member=people[0], role=role, call_time=T(6))
    CallFactory(day=days[1], crew_member=people[1])
    ChecklistItemFactory(stage=stage, title="Book the crane", due_date=days[0].date)
    return days, people


@pytest.mark.django_db
def test_the_schedule_lists_days_in_order_and_filters_by_person(production, viewer, planned):
    _days, people = planned
    client = client_for(viewer)
    page = client.get(reverse("schedule", args=[production.slug]))
    assertContains(page, "day 1 of 3")
    assertContains(page, "day 3 of 3")
    assertContains(page, "Person 0")
    assertContains(page, "Person 1")
    assertNotContains(page, "Add a day")  # viewers read
    only = client.get(reverse("schedule", args=[production.slug]), {"person": f"c{people[1].pk}"})
    assertNotContains(only, "<td>Person 0</td>", html=False)
    assertContains(only, "<td>Person 1</td>", html=False)
    stale = client.get(reverse("schedule", args=[production.slug]), {"person": "x<b>"})
    assert stale.status_code == 200
    assertContains(stale, "<td>Person 0</td>", html=False)


@pytest.mark.django_db
def test_an_editor_adds_a_day_without_javascript_and_errors_come_back_422(production, editor):
    client = client_for(editor)
    url = reverse("day_add", args=[production.slug])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"date": "2030-03-01", "kind": "shoot", "call_time": "18:00",
                            "wrap_time": "02:00"})  # fmt: skip
    assert bad.status_code == 422
    assertContains(bad, "wraps after midnight", status_code=422)
    htmx = client.post(url, {"date": "9999-01-01", "kind": "shoot"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 422
    assert b"<html" not in htmx.content
    ok = client.post(url, {"date": "2030-03-01", "kind": "shoot", "call_time": "18:00",
                           "wrap_time": "02:00", "wraps_next_day": "on"})  # fmt: skip
    assert ok.status_code == 302
    page = client.get(reverse("schedule", args=[production.slug]))
    assertContains(page, "+1")


@pytest.mark.django_db
def test_an_edit_over_someone_elses_change_is_a_409(production, editor):
    day = _day(production)
    client = client_for(editor)
    data = {"date": "2030-03-01", "kind": "shoot", "weather": "Rain", "version": day.version}
    services.update_day(day, by=editor, weather="Sun")
    response = client.post(reverse("day_edit", args=[day.pk]), data)
    assert response.status_code == 409
    assertContains(response, "here is their version", status_code=409)


@pytest.mark.django_db
def test_delete_then_undo_without_javascript(production, editor):
    day = _day(production)
    client = client_for(editor)
    response = client.post(reverse("day_delete", args=[day.pk]))
    assert response.status_code == 302
    assertContains(client.get(response["Location"]), "Undo")
    client.post(reverse("day_restore", args=[day.pk]))
    assert ShootDay.objects.filter(pk=day.pk).exists()


@pytest.mark.django_db
def test_add_a_call_and_a_location_from_the_forms(production, editor, planned):
    days, people = planned
    client = client_for(editor)
    response = client.post(
        reverse("location_add", args=[production.slug]),
        {"name": "Pier 9", "address": "Dock road", "nearest_hospital": "St Mary's"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("call_add", args=[days[2].pk]),
        {"person": f"c{people[2].pk}", "call_time": "05:45"},
    )
    assert response.status_code == 302
    assert days[2].calls.get().call_time == T(5, 45)
    twice = client.post(reverse("call_add", args=[days[2].pk]), {"person": f"c{people[2].pk}"})
    assert twice.status_code == 422
    outsider = CrewMemberFactory()
    refused = client.post(reverse("call_add", args=[days[2].pk]), {"person": f"c{outsider.pk}"})
    assert refused.status_code == 422


@pytest.mark.django_db
def test_the_call_sheet_shows_day_n_of_m_locations_and_items_due(production, viewer, planned):
    days, _ = planned
    location = LocationFactory(name="Pier 9", access_notes="Gate B", nearest_hospital="St Mary's")
    days[0].locations.set([location])
    page = client_for(viewer).get(reverse("call_sheet", args=[days[0].pk]))
    for text in ("Day 1 of 3", "Pier 9", "Gate B", "St Mary&#x27;s", "Book the crane", "06:00"):
        assertContains(page, text)


@pytest.mark.django_db
def test_times_show_in_the_viewers_zone_when_it_differs(production, viewer, planned):
    days, _ = planned
    production.time_zone = "Europe/Paris"
    production.save()
    client = client_for(viewer)
    session = client.session
    session["time_zone"] = "America/New_York"
    session.save()
    page = client.get(reverse("call_sheet", args=[days[0].pk]))
    assertContains(page, "America/New_York")
    assertContains(page, "(01:00 America/New_York)")  # 07:00 in Paris, March
    session["time_zone"] = "Europe/Paris"
    session.save()
    assertNotContains(client.get(reverse("call_sheet", args=[days[0].pk])), "America/New_York")


@pytest.mark.django_db
def test_a_30_person_call_sheet_pdf_is_one_page_with_every_name(production, viewer):
    from pypdf import PdfReader

    day = _day(production, wrap=T(1), wraps_next_day=True, notes="Bring layers.")
    day.locations.set([LocationFactory(name=f"Spot {n}", access_notes="Gate") for n in range(2)])
    role = CrewRoleFactory(name="Grip")
    for n in range(30):
        CallFactory(day=day, crew_member=CrewMemberFactory(name=f"Crew Person {n:02d}"),
                    role=role, call_time=T(5 + n % 4, 15))  # fmt: skip
    response = client_for(viewer).get(reverse("call_sheet_pdf", args=[day.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for n in range(30):
        assert f"Crew Person {n:02d}" in text
    assert "08:15" in text
    assert "Spot 1" in text


@pytest.mark.django_db
def test_schedule_and_call_sheet_cost_the_same_queries_at_any_size(
    production, viewer, django_assert_num_queries
):
    client = client_for(viewer)

    def plan(days, people):
        crew = [CrewMemberFactory() for _ in range(people)]
        location = LocationFactory()
        made = []
        for n in range(days):
            day = _day(production, date=D1 + datetime.timedelta(days=len(made) + n))
            day.locations.set([location])
            Call.objects.bulk_create(Call(day=day, crew_member=c) for c in crew)
            made.append(day)
        return made

    small = plan(2, 2)
    client.get(reverse("schedule", args=[production.slug]))  # warm the session
    # session, user, production + level, days, locations, calls, conflicts' 2
    with django_assert_num_queries(SCHEDULE_QUERIES):
        client.get(reverse("schedule", args=[production.slug]))
    # session, user, day + level, numbering, locations, calls, conflicts' 2
    # (and the stage's items due that day when the day has a stage)
    with django_assert_num_queries(CALL_SHEET_QUERIES):
        client.get(reverse("call_sheet", args=[small[0].pk]))
    big = plan(30, 60)
    with django_assert_num_queries(SCHEDULE_QUERIES):
        client.get(reverse("schedule", args=[production.slug]))
    with django_assert_num_queries(CALL_SHEET_QUERIES):
        client.get(reverse("call_sheet", args=[big[0].pk]))


SCHEDULE_QUERIES = 8
CALL_SHEET_QUERIES = 8


def test_production_has_a_time_zone_field():
    assert Production._meta.get_field("time_zone").max_length == 64


@pytest.mark.django_db
def test_trashed_days_show_in_the_trash_and_go_when_it_is_emptied_or_purged(production, manager):
    from productions.services.trash import empty_trash, purge_expired

    day = _day(production)
    CallFactory(day=day)
    services.delete_day(day, by=manager)
    page = client_for(manager).get(reverse("production_trash", args=[production.slug]))
    assertContains(page, str(day))
    empty_trash(production, by=manager)
    assert not ShootDay.all_objects.filter(pk=day.pk).exists()
    old = _day(production, date=D1 + datetime.timedelta(days=5))
    services.delete_day(old, by=manager)
    ShootDay.all_objects.filter(pk=old.pk).update(
        deleted_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    purge_expired()
    assert not ShootDay.all_objects.filter(pk=old.pk).exists()
    assert Call.objects.count() == 0


@pytest.mark.django_db
def test_with_htmx_forms_open_in_place_and_a_delete_becomes_its_undo(production, editor):
    day = _day(production)
    client = client_for(editor)
    page = client.get(reverse("schedule", args=[production.slug]))
    assertContains(page, f'hx-target="#day-{day.pk}-panel"')
    form = client.get(reverse("day_edit", args=[day.pk]), headers={"HX-Request": "true"})
    assert b"<html" not in form.content
    assertContains(form, 'hx-post="')
    saved = client.post(
        reverse("day_edit", args=[day.pk]),
        {"date": "2030-03-02", "kind": "shoot", "version": day.version},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert saved["HX-Redirect"].endswith(f"#day-{day.pk}")
    gone = client.post(reverse("day_delete", args=[day.pk]), headers={"HX-Request": "true"})
    assertContains(gone, f'id="day-{day.pk}"')
    assertContains(gone, "Undo")


@pytest.mark.django_db
def test_a_manager_sets_the_production_time_zone_on_its_form(production, manager):
    client = client_for(manager)
    form = client.get(reverse("production_edit", args=[production.slug]))
    assertContains(form, 'name="time_zone"')
    response = client.post(
        reverse("production_edit", args=[production.slug]),
        {
            "title": production.title,
            "kind": production.kind,
            "status": production.status,
            "time_zone": "Asia/Tokyo",
            "version": production.version,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("schedule", args=[production.slug]))
    assertContains(page, "Times are in Asia/Tokyo")
    bad = client.post(
        reverse("production_edit", args=[production.slug]),
        {"title": "x", "kind": production.kind, "status": "planning", "time_zone": "Mars/Base"},
    )
    assert bad.status_code == 422
