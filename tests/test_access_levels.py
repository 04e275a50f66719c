"""What each member of the cast may see and do on one production."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from productions.models import ChecklistItem, Production, Stage
from tests.conftest import HTMX, client_for
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
)


@pytest.fixture
def stage(production):
    return StageFactory(production=production, name="Wardrobe")


@pytest.fixture
def item(stage):
    return ChecklistItemFactory(stage=stage, title="Fit the jackets")


def test_the_list_shows_only_productions_the_user_belongs_to(production, viewer):
    ProductionFactory(title="Secret Tour")

    response = client_for(viewer).get("/productions/")

    assertContains(response, "Neon Nights")
    assertNotContains(response, "Secret Tour")


def test_the_list_counts_nothing_of_other_productions(production, viewer):
    other = ProductionFactory(title="Secret Tour")
    ChecklistItemFactory.create_batch(3, stage__production=other)

    response = client_for(viewer).get("/productions/")

    assert response.context["page"].paginator.count == 1
    assertNotContains(response, "Secret Tour")


def test_an_outsider_gets_404_for_a_production_and_its_parts(production, outsider, item):
    client = client_for(outsider)
    assert client.get(f"/productions/{production.slug}/").status_code == 404
    assert client.get(f"/productions/{production.slug}/export.csv").status_code == 404
    assert client.get(f"/items/{item.pk}/", **HTMX).status_code == 404
    assert client.post(f"/items/{item.pk}/toggle/", {"done": "1"}).status_code == 404
    item.refresh_from_db()
    assert not item.done


def test_a_viewer_reads_and_exports_but_sees_no_controls(production, viewer, item):
    client = client_for(viewer)

    response = client.get(f"/productions/{production.slug}/")
    assertContains(response, "Fit the jackets")
    assertNotContains(response, f"/items/{item.pk}/toggle/")
    assertNotContains(response, f"/items/{item.pk}/edit/")
    assertNotContains(response, f"/stages/{item.stage_id}/items/")
    assertNotContains(response, f"/productions/{production.slug}/edit/")
    assert client.get(f"/productions/{production.slug}/export.csv").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/items/{item}/toggle/", {"done": "1"}),
        ("post", "/items/{item}/edit/", {"title": "Hacked"}),
        ("post", "/items/{item}/delete/", {}),
        ("post", "/stages/{stage}/items/", {"title": "Sneaky"}),
        ("post", "/stages/{stage}/status/", {"status": "done"}),
        ("post", "/items/{item}/comments/", {"body": "hi"}),
    ],
)
def test_a_viewer_may_not_change_the_checklist(viewer, item, method, path, data):
    url = path.format(item=item.pk, stage=item.stage_id)

    response = getattr(client_for(viewer), method)(url, data)

    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.title, item.done) == ("Fit the jackets", False)
    assert ChecklistItem.objects.count() == 1


def test_an_editor_ticks_edits_and_deletes_items(editor, item):
    client = client_for(editor)

    assert client.post(f"/items/{item.pk}/toggle/", {"done": "1"}).status_code == 302
    assert client.post(f"/items/{item.pk}/edit/", {"title": "Fit all jackets"}).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.done) == ("Fit all jackets", True)
    assert client.post(f"/items/{item.pk}/delete/").status_code == 302
    assert not ChecklistItem.objects.filter(pk=item.pk).exists()


def test_an_editor_may_not_edit_or_delete_the_production_or_its_stages(production, editor, stage):
    client = client_for(editor)

    assert client.get(f"/productions/{production.slug}/edit/").status_code == 403
    assert client.post(f"/productions/{production.slug}/delete/").status_code == 403
    assert client.post(f"/stages/{stage.pk}/delete/").status_code == 403
    assert Production.objects.filter(pk=production.pk).exists()
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_an_editor_may_not_change_crew_assignments(production, editor):
    assignment = AssignmentFactory(production=production)

    response = client_for(editor).post(f"/assignments/{assignment.pk}/remove/")

    assert response.status_code == 403
    assert production.assignments.count() == 1


def test_a_manager_edits_and_deletes_the_production(production, manager):
    client = client_for(manager)

    assert client.get(f"/productions/{production.slug}/edit/").status_code == 200
    response = client.post(f"/productions/{production.slug}/delete/")
    assert response.status_code == 302
    assert not Production.objects.filter(pk=production.pk).exists()
    assert Production.all_objects.filter(pk=production.pk).exists()


def test_staff_see_every_production(production, staff):
    response = client_for(staff).get(f"/productions/{production.slug}/")

    assert response.status_code == 200
    assertContains(response, f"/productions/{production.slug}/edit/")


def test_the_creator_of_a_production_is_its_manager(outsider):
    client = client_for(outsider)

    response = client.post(
        "/productions/new/", {"title": "Own Show", "kind": "concert", "status": "planning"}
    )

    production = Production.objects.get(title="Own Show")
    assert response.status_code == 302
    assert production.memberships.get().user == outsider
    assert production.memberships.get().level == 30


def test_a_level_change_takes_effect_on_the_next_request(production, editor, item):
    client = client_for(editor)
    assert client.post(f"/items/{item.pk}/toggle/", {"done": "1"}).status_code == 302

    production.memberships.filter(user=editor).update(level=10)

    assert client.post(f"/items/{item.pk}/toggle/", {"done": "0"}).status_code == 403


def test_an_inactive_user_sees_nothing(production, db):
    user = MembershipFactory(production=production, user__is_active=False).user
    client = client_for(user)

    assert client.get(f"/productions/{production.slug}/").status_code in (302, 404)
