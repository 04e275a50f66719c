"""Archiving a production (issue 6, capability 3): out of the way, found again
under "Archived"."""

import pytest
from django.utils import timezone

from productions.models import Activity, ChecklistItem, Production
from productions.services.stages import set_archived
from tests.conftest import HTMX, client_for
from tests.factories import (
    ChecklistItemFactory,
    MembershipFactory,
    ProductionFactory,
    StageFactory,
)


def archive_url(production):
    return f"/productions/{production.slug}/archive/"


def test_set_archived_stamps_logs_and_is_idempotent(production, manager):
    archived = set_archived(production, True, by=manager)
    again = set_archived(production, True, by=manager)

    assert archived.archived_at is not None
    assert again.archived_at == archived.archived_at
    kinds = list(Activity.objects.values_list("kind", flat=True))
    assert kinds == [Activity.Kind.PRODUCTION_ARCHIVED]

    back = set_archived(production, False, by=manager)

    assert back.archived_at is None
    assert Activity.objects.filter(kind=Activity.Kind.PRODUCTION_UNARCHIVED).count() == 1


def test_a_manager_archives_and_unarchives_without_javascript(production, manager):
    client = client_for(manager)

    response = client.post(archive_url(production), {"archived": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/productions/{production.slug}/"
    production.refresh_from_db()
    assert production.archived_at is not None
    page = client.get(production.get_absolute_url()).content.decode()
    assert "Archived " in page
    assert ">Unarchive</button>" in page

    client.post(archive_url(production), {"archived": "0"})
    production.refresh_from_db()
    assert production.archived_at is None


def test_with_htmx_archiving_reloads_the_page(production, manager):
    response = client_for(manager).post(archive_url(production), {"archived": "1"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/productions/{production.slug}/"


@pytest.mark.parametrize(("who", "status"), [("editor", 403), ("viewer", 403), ("outsider", 404)])
def test_only_managers_archive(production, who, status, request):
    user = request.getfixturevalue(who)

    response = client_for(user).post(archive_url(production), {"archived": "1"})

    assert response.status_code == status
    production.refresh_from_db()
    assert production.archived_at is None
    assert not Activity.objects.exists()


def test_archive_is_post_only(production, manager):
    assert client_for(manager).get(archive_url(production)).status_code == 405


def test_another_productions_archive_is_404(manager):
    elsewhere = ProductionFactory(slug="elsewhere")
    assert client_for(manager).post(archive_url(elsewhere)).status_code == 404
    assert client_for(manager).post("/productions/no-such-show/archive/").status_code == 404


def test_a_trashed_production_cannot_be_archived(production, manager):
    Production.objects.filter(pk=production.pk).update(deleted_at=timezone.now())
    assert client_for(manager).post(archive_url(production)).status_code == 404


@pytest.fixture
def shelved(manager):
    old = ProductionFactory(title="Old Tour", slug="old-tour", archived_at=timezone.now())
    MembershipFactory(production=old, user=manager, level=30)
    return old


def test_the_list_hides_archived_productions_and_links_to_them(production, shelved, manager):
    html = client_for(manager).get("/productions/").content.decode()

    assert "Neon Nights" in html
    assert "Old Tour" not in html
    assert 'href="/productions/?archived=1">Archived</a>' in html


def test_archived_lists_only_archived_productions(production, shelved, manager):
    client = client_for(manager)
    html = client.get("/productions/?archived=1").content.decode()

    assert "Archived productions" in html
    assert "Old Tour" in html
    assert "Neon Nights" not in html
    assert '<input type="hidden" name="archived" value="1">' in html
    # Filters still apply within the archive.
    assert "Old Tour" not in client.get("/productions/?archived=1&q=neon").content.decode()
    fragment = client.get("/productions/?archived=1&q=old", **HTMX).content.decode()
    assert "Old Tour" in fragment


@pytest.mark.parametrize("value", ["yes", "0", "", "1' OR 1=1"])
def test_a_stray_archived_value_shows_the_default_list(production, shelved, manager, value):
    response = client_for(manager).get("/productions/", {"archived": value})

    assert response.status_code == 200
    assert "Old Tour" not in response.content.decode()


def test_my_work_leaves_archived_productions_out(production, shelved, manager):
    productions = list(client_for(manager).get("/").context["productions"])

    assert production in productions
    assert shelved not in productions


def test_an_archived_production_still_opens(shelved, manager):
    response = client_for(manager).get(shelved.get_absolute_url())

    assert response.status_code == 200
    assert b">Unarchive</button>" in response.content


# Archived productions are read-only (issue 14): unarchive to edit.


@pytest.fixture
def archived(production, manager, editor, viewer):
    stage = StageFactory(production=production, name="Wardrobe")
    item = ChecklistItemFactory(stage=stage, title="Fit the jackets")
    set_archived(production, True, by=manager)
    production.refresh_from_db()
    return production, stage, item


@pytest.mark.parametrize("who", ["manager", "editor", "viewer"])
def test_an_archived_production_shows_no_write_controls(archived, who, request):
    production, _, item = archived
    html = client_for(request.getfixturevalue(who)).get(production.get_absolute_url())
    html = html.content.decode()

    assert "Fit the jackets" in html
    assert f"/items/{item.pk}/toggle/" not in html
    assert "Edit details" not in html
    assert 'id="archived-note"' in html
    assert (">Unarchive</button>" in html) is (who == "manager")


@pytest.mark.parametrize("who", ["manager", "editor"])
def test_a_tick_on_an_archived_production_is_refused_and_writes_nothing(archived, who, request):
    _, _, item = archived
    activities = Activity.objects.count()

    response = client_for(request.getfixturevalue(who)).post(
        f"/items/{item.pk}/toggle/", {"done": "1"}, **HTMX
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.done
    assert Activity.objects.count() == activities


def test_unarchiving_opens_the_production_to_edits_again(archived, manager):
    production, _, item = archived
    client = client_for(manager)

    client.post(archive_url(production), {"archived": "0"})
    response = client.post(f"/items/{item.pk}/toggle/", {"done": "1"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done


def test_my_work_shows_no_tick_for_an_archived_productions_item(archived, manager):
    _, _, item = archived
    from productions.models import CrewMember

    crew = CrewMember.objects.create(name="Mina", user=manager)
    ChecklistItem.objects.filter(pk=item.pk).update(assignee=crew, due_date=timezone.localdate())

    html = client_for(manager).get("/due/").content.decode()

    assert f"/items/{item.pk}/toggle/" not in html


def test_the_live_update_poll_sees_the_production_as_archived(archived, editor):
    from productions.access import get_user_with_live_version

    production, _, _ = archived
    user = get_user_with_live_version(editor.pk, production.slug)

    assert user.access.archived
    assert not user.access.edit
