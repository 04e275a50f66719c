import pytest

from productions import services
from productions.models import Stage
from tests.factories import ChecklistItemFactory, StageFactory, UserFactory


def url(stage):
    return f"/stages/{stage.pk}/status/"


@pytest.mark.django_db
def test_it_sets_the_status_by_hand(logged_in):
    stage = StageFactory()
    response = logged_in.post(url(stage), {"status": "blocked"})
    assert response.status_code == 302
    assert response["Location"] == f"/productions/{stage.production.slug}/#stage-{stage.pk}"
    stage.refresh_from_db()
    assert stage.status == Stage.Status.BLOCKED


@pytest.mark.django_db
def test_it_answers_htmx_with_the_stage_summary_fragment(logged_in):
    stage = StageFactory()
    ChecklistItemFactory(stage=stage)
    response = logged_in.post(url(stage), {"status": "in_progress"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert f'id="stage-{stage.pk}-progress"'.encode() in response.content
    assert b'value="in_progress" selected' in response.content
    assert b"0 of 1 done" in response.content


@pytest.mark.django_db
def test_it_rejects_an_unknown_status(logged_in):
    stage = StageFactory()
    response = logged_in.post(url(stage), {"status": "exploded"})
    assert response.status_code == 422
    stage.refresh_from_db()
    assert stage.status == Stage.Status.NOT_STARTED


@pytest.mark.django_db
def test_it_404s_for_an_unknown_stage(logged_in):
    assert logged_in.post("/stages/999999/status/", {"status": "done"}).status_code == 404


@pytest.mark.django_db
def test_a_get_is_the_cancel_of_mark_done_anyway(logged_in):
    """Cancel asks for the status as it is, focus on Set (the Cancel link goes
    with the swap); without JavaScript it goes back to the stage."""
    stage = StageFactory()
    ChecklistItemFactory(stage=stage)

    plain = logged_in.get(url(stage))
    fragment = logged_in.get(url(stage), headers={"HX-Request": "true"})

    assert plain.status_code == 302
    assert plain["Location"] == f"/productions/{stage.production.slug}/#stage-{stage.pk}"
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert f'id="stage-{stage.pk}-set" autofocus>'.encode() in fragment.content
    assert "HX-Request" in fragment["Vary"]
    assert logged_in.delete(url(stage)).status_code == 405


@pytest.mark.django_db
def test_mark_done_anyway_brings_focus_back_to_set_and_a_plain_set_leaves_it(logged_in):
    stage = StageFactory()
    ChecklistItemFactory(stage=stage)
    htmx = {"headers": {"HX-Request": "true"}}

    asked = logged_in.post(url(stage), {"status": "done"}, **htmx)
    anyway = logged_in.post(url(stage), {"status": "done", "confirmed": "on"}, **htmx)
    plain = logged_in.post(url(stage), {"status": "blocked"}, **htmx)

    assert b"Mark done anyway" in asked.content
    assert f'id="stage-{stage.pk}-set" autofocus>'.encode() in anyway.content
    # A plain Set keeps its own button (same id): nothing to move.
    assert f'id="stage-{stage.pk}-set">'.encode() in plain.content


@pytest.mark.django_db
def test_it_requires_login(client):
    response = client.post(url(StageFactory()), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_it_moves_the_status_along_with_the_checklist():
    user = UserFactory()
    stage = StageFactory()
    first, second = ChecklistItemFactory(stage=stage), ChecklistItemFactory(stage=stage)

    services.set_item_done(first, True, by=user)
    stage.refresh_from_db()
    assert stage.status == Stage.Status.IN_PROGRESS
    services.set_item_done(second, True, by=user)
    stage.refresh_from_db()
    assert stage.status == Stage.Status.DONE

    services.add_item(stage, by=user, title="One more thing")
    stage.refresh_from_db()
    assert stage.status == Stage.Status.IN_PROGRESS

    services.set_item_done(first, False, by=user)
    services.set_item_done(second, False, by=user)
    # Started work stays "in progress" until someone says otherwise.
    stage.refresh_from_db()
    assert stage.status == Stage.Status.IN_PROGRESS


@pytest.mark.django_db
def test_it_sends_a_fully_unticked_done_stage_back_to_not_started():
    user = UserFactory()
    stage = StageFactory()
    item = ChecklistItemFactory(stage=stage)
    services.set_item_done(item, True, by=user)
    stage.refresh_from_db()
    assert stage.status == Stage.Status.DONE
    services.set_item_done(item, False, by=user)
    stage.refresh_from_db()
    assert stage.status == Stage.Status.NOT_STARTED


@pytest.mark.django_db
def test_it_marks_a_stage_done_when_its_last_open_item_is_deleted():
    user = UserFactory()
    stage = StageFactory()
    done, open_item = ChecklistItemFactory(stage=stage), ChecklistItemFactory(stage=stage)
    services.set_item_done(done, True, by=user)
    services.delete_item(open_item, by=user)
    stage.refresh_from_db()
    assert stage.status == Stage.Status.DONE


@pytest.mark.django_db
def test_it_leaves_a_blocked_stage_blocked():
    stage = StageFactory(status=Stage.Status.BLOCKED)
    item = ChecklistItemFactory(stage=stage)
    services.set_item_done(item, True, by=UserFactory())
    stage.refresh_from_db()
    assert stage.status == Stage.Status.BLOCKED
