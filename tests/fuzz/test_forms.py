"""Hostile input to every form (tests/fuzzing.py says what is sent and what
must hold): each form's fields as an editor and as a manager, with and without
htmx; the item edit with one bad field at a time; deleting and restoring,
twice over; and the invitation form, logged out.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from productions.forms import ProductionForm
from productions.models import ChecklistItem, Production
from productions.schedule_forms import DayForm, LocationForm
from tests.conftest import client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
    UserFactory,
)
from tests.fuzzing import (
    all_ids,
    assert_log_adds_up,
    baseline,
    form_data,
    fuzz_settings,
    post_checked,
    send,
)
from tests.urlcases import snapshot

pytestmark = pytest.mark.django_db


PRODUCTION_FIELDS = [*ProductionForm.Meta.fields, "version"]
DAY_FIELDS = DayForm.Meta.fields

# name -> (the URL, given the world; the form's fields)
FORMS = {
    "production_create": (
        lambda w: reverse("production_create"),
        [*PRODUCTION_FIELDS, "template"],
    ),
    "production_edit": (
        lambda w: reverse("production_edit", args=[w.production.slug]),
        PRODUCTION_FIELDS,
    ),
    "stage_status": (
        lambda w: reverse("stage_status", args=[w.stage.pk]),
        ["status", "confirmed"],
    ),
    "item_add": (lambda w: reverse("item_add", args=[w.stage.pk]), ["title"]),
    "item_toggle": (lambda w: reverse("item_toggle", args=[w.item.pk]), ["done"]),
    "item_edit": (
        lambda w: reverse("item_edit", args=[w.item.pk]),
        ["title", "assignee", "due_date", "notes", "location", "version"],
    ),
    "item_comments": (lambda w: reverse("item_comments", args=[w.item.pk]), ["body"]),
    "crew_member_add": (
        lambda w: reverse("crew_member_add", args=[w.production.slug]),
        ["name", "role", "email", "phone"],
    ),
    "assignment_add": (
        lambda w: reverse("assignment_add", args=[w.production.slug]),
        ["crew_member", "role"],
    ),
    "member_add": (
        lambda w: reverse("member_add", args=[w.production.slug]),
        ["who", "level"],
    ),
    "member_level": (lambda w: reverse("member_level", args=[w.target.pk]), ["level"]),
    "member_resend_invitation": (
        lambda w: reverse("member_resend_invitation", args=[w.invited.pk]),
        ["level"],
    ),
    "production_clone": (
        lambda w: reverse("production_clone", args=[w.production.slug]),
        ["title", "offset_days"],
    ),
    "production_save_template": (
        lambda w: reverse("production_save_template", args=[w.production.slug]),
        ["name", "description"],
    ),
    # The schedule (issue 16).
    "day_add": (lambda w: reverse("day_add", args=[w.production.slug]), DAY_FIELDS),
    "day_edit": (lambda w: reverse("day_edit", args=[w.day.pk]), [*DAY_FIELDS, "version"]),
    "day_move": (lambda w: reverse("day_move", args=[w.day.pk]), ["date", "version"]),
    "day_duplicate": (lambda w: reverse("day_duplicate", args=[w.day.pk]), ["date"]),
    "call_add": (
        lambda w: reverse("call_add", args=[w.day.pk]),
        ["person", "role", "call_time", "location", "notes"],
    ),
    "call_edit": (
        lambda w: reverse("call_edit", args=[w.call.pk]),
        ["role", "call_time", "location", "notes", "version"],
    ),
    "location_add": (
        lambda w: reverse("location_add", args=[w.production.slug]),
        LocationForm.Meta.fields,
    ),
    "conflict_keep": (lambda w: reverse("conflict_keep", args=[w.day.pk]), ["conflict"]),
    "login": (lambda w: reverse("login"), ["username", "password", "next"]),
    "password_reset": (lambda w: reverse("password_reset"), ["email"]),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_forms_take_any_input(name, world, foreign, clients, settings):
    # Enough failed logins lock a username out (429): still no 500.
    settings.AXES_FAILURE_LIMIT = 10_000
    url_for, fields = FORMS[name]
    url = url_for(world)
    ids = all_ids(world, foreign)
    base = baseline()

    @fuzz_settings(65)
    @given(data=form_data(fields, ids), urlencoded=st.booleans())
    def run(data, urlencoded):
        for client in clients.values():
            for htmx in (False, True):
                post_checked(client, url, data, htmx=htmx, urlencoded=urlencoded)

    run()
    assert_log_adds_up(base)


def test_a_refused_item_edit_leaves_the_item_as_it_was(world, foreign, clients):
    """The edit form with valid-looking text and one bad field at a time."""
    url = reverse("item_edit", args=[world.item.pk])
    ids = all_ids(world, foreign)
    base = baseline()
    bad = {
        "title": st.sampled_from(["", "a" * 301, " \t "]),
        "assignee": st.sampled_from([2**63, -1, 0, "abc", "1.5", [world.crew_member.pk, "x"]]),
        "due_date": st.sampled_from(["2026-02-30", "99999-01-01", "x", "2026-13-01"]),
        "notes": st.just("n" * 5001),
        "version": st.sampled_from(["-1", "abc", str(2**70), "1.5"]),
    }

    @fuzz_settings(60)
    @given(
        field=st.sampled_from(sorted(bad)),
        data=form_data(["title", "notes", "due_date"], ids),
        st_data=st.data(),
    )
    def run(field, data, st_data):
        item = ChecklistItem.objects.get(pk=world.item.pk)
        fields = {"title": "Fine title", "version": item.version, **data}
        fields[field] = st_data.draw(bad[field])
        before = snapshot()
        for client in clients.values():
            for htmx in (False, True):
                response = send(client, "POST", url, fields, htmx=htmx)
                assert response.status_code in (400, 409, 422), (fields, response)
        assert snapshot() == before

    run()
    assert_log_adds_up(base)


def fresh(world):
    """Objects for views that delete or restore, new for each example."""
    production = ProductionFactory()
    for user, level in world.levels:
        MembershipFactory(production=production, user=user, level=level)
    stage = StageFactory(production=production)
    item = ChecklistItemFactory(stage=stage)
    deleted_item = ChecklistItemFactory(stage=stage, deleted_at=timezone.now())
    deleted_stage = StageFactory(production=production, deleted_at=timezone.now())
    assignment = AssignmentFactory(production=production, crew_member=world.crew_member)
    target = MembershipFactory(production=production, user=UserFactory())
    return {
        "production_delete": reverse("production_delete", args=[production.slug]),
        "trash_empty": reverse("trash_empty", args=[production.slug]),
        "stage_delete": reverse("stage_delete", args=[stage.pk]),
        "stage_restore": reverse("stage_restore", args=[deleted_stage.pk]),
        "item_delete": reverse("item_delete", args=[item.pk]),
        "item_restore": reverse("item_restore", args=[deleted_item.pk]),
        "assignment_remove": reverse("assignment_remove", args=[assignment.pk]),
        "member_remove": reverse("member_remove", args=[target.pk]),
        "production_restore": None,  # filled in below
        "_production": production,
    }


DESTRUCTIVE = [
    "production_delete",
    "production_restore",
    "trash_empty",
    "stage_delete",
    "stage_restore",
    "item_delete",
    "item_restore",
    "assignment_remove",
    "member_remove",
]


def test_deleting_and_restoring_take_any_input(world, foreign, clients, cast):
    ids = all_ids(world, foreign)
    base = baseline()
    world.levels = [
        (cast["manager"], 30),
        (cast["editor"], 20),
        (cast["viewer"], 10),
    ]

    @fuzz_settings(80)
    @given(
        name=st.sampled_from(DESTRUCTIVE),
        data=form_data(["confirm", "next", "pk"], ids),
        role=st.sampled_from(["editor", "manager"]),
        htmx=st.booleans(),
        urlencoded=st.booleans(),
    )
    def run(name, data, role, htmx, urlencoded):
        urls = fresh(world)
        if name == "production_restore":
            production = urls["_production"]
            Production.all_objects.filter(pk=production.pk).update(deleted_at=timezone.now())
            urls[name] = reverse("production_restore", args=[production.pk])
        client = clients[role]
        # Twice: the second answer is about something already gone (or back).
        for _ in range(2):
            post_checked(client, urls[name], data, htmx=htmx, urlencoded=urlencoded)
        send(client, "GET", urls[name], data, htmx=htmx)

    run()
    assert_log_adds_up(base)


def test_the_invitation_form_takes_any_input(world, foreign, db):
    ids = all_ids(world, foreign)

    @fuzz_settings(40)
    @given(data=form_data(["new_password1", "new_password2"], ids), urlencoded=st.booleans())
    def run(data, urlencoded):
        client = client_for(None)
        response = send(client, "GET", world.invitation_path)
        form_url = response.headers.get("Location") or world.invitation_path
        for htmx in (False, True):
            send(client, "POST", form_url, data, htmx=htmx, urlencoded=urlencoded)

    run()
