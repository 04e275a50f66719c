import pytest
from django.contrib import admin
from django.urls import reverse

from productions import services
from productions.models import Production
from productions.services.counters import wrong_counters
from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    ChecklistTemplateFactory,
    CrewMemberFactory,
    ProductionFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db

PRODUCTIONS_MODELS = sorted(
    (
        model._meta.model_name
        for model in admin.site._registry
        if model._meta.app_label == "productions"
    ),
)


def admin_url(model_name, view, *args):
    return reverse(f"admin:productions_{model_name}_{view}", args=args)


def test_it_registers_every_productions_model():
    assert PRODUCTIONS_MODELS == [
        "activity",
        "assignment",
        "checklistitem",
        "checklistitemtemplate",
        "checklisttemplate",
        "crewmember",
        "crewrole",
        "membership",
        "production",
        "stage",
        "stagetemplate",
    ]


@pytest.mark.parametrize("model_name", PRODUCTIONS_MODELS)
def test_it_shows_the_changelist(admin_client, model_name):
    AssignmentFactory()
    ChecklistItemFactory(assignee=CrewMemberFactory())

    response = admin_client.get(admin_url(model_name, "changelist"))

    assert response.status_code == 200


# The activity log is written by the app only.
WRITABLE_MODELS = [name for name in PRODUCTIONS_MODELS if name != "activity"]


@pytest.mark.parametrize("model_name", WRITABLE_MODELS)
def test_it_shows_the_add_page(admin_client, model_name):
    response = admin_client.get(admin_url(model_name, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model_name", PRODUCTIONS_MODELS)
def test_it_searches_the_changelist(admin_client, model_name, manager):
    AssignmentFactory()
    item = ChecklistItemFactory(assignee=CrewMemberFactory())
    services.set_item_done(item, True, by=manager)
    ChecklistTemplateFactory()

    response = admin_client.get(admin_url(model_name, "changelist"), {"q": "zzz-nothing"})

    changelist = response.context["cl"]
    assert changelist.full_result_count > 0
    assert changelist.result_count == 0


def test_it_finds_a_production_by_title(admin_client):
    wanted = StageFactory(production__title="Neon Nights").production
    StageFactory(production__title="Echoes Live")

    response = admin_client.get(admin_url("production", "changelist"), {"q": "neon"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_it_finds_an_item_by_its_production_title(admin_client):
    wanted = ChecklistItemFactory(stage__production__title="Neon Nights")
    ChecklistItemFactory(stage__production__title="Echoes Live")

    response = admin_client.get(admin_url("checklistitem", "changelist"), {"q": "neon"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_it_shows_a_production_with_its_stages_inline(admin_client):
    stage = StageFactory(name="Location scouting")
    AssignmentFactory(production=stage.production)

    response = admin_client.get(admin_url("production", "change", stage.production.pk))

    assert response.status_code == 200
    assert "Location scouting" in response.text
    assert admin_url("stage", "change", stage.pk) in response.text


def test_it_shows_a_stage_with_its_items_inline(admin_client):
    item = ChecklistItemFactory(title="Secure location permits", assignee=CrewMemberFactory())

    response = admin_client.get(admin_url("stage", "change", item.stage.pk))

    assert response.status_code == 200
    assert "Secure location permits" in response.text


def test_it_autocompletes_crew_members_for_an_item_assignee(admin_client):
    wanted = CrewMemberFactory(name="Mina Park")
    CrewMemberFactory(name="Jordan Reyes")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "productions",
            "model_name": "checklistitem",
            "field_name": "assignee",
            "term": "mina",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(wanted.pk), "text": "Mina Park"}]


def test_it_keeps_the_admin_from_normal_users(client, outsider):
    client.force_login(outsider)
    response = client.get(admin_url("production", "changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_activity_log_is_read_only_in_the_admin(admin_client):
    assert admin_client.get(admin_url("activity", "add")).status_code == 403


def test_an_admin_edit_is_logged_and_bumps_the_version(admin_client, production):
    item = ChecklistItemFactory(stage__production=production, title="Book the van")

    response = admin_client.post(
        admin_url("checklistitem", "change", item.pk),
        {"stage": item.stage_id, "title": "Book two vans", "notes": "", "position": 0},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.version) == ("Book two vans", 2)
    entry = production.activities.get()
    assert entry.kind == "admin"
    assert entry.changes == {"admin": "changed", "fields": ["title"]}


def test_an_admin_delete_is_logged(admin_client, production):
    item = ChecklistItemFactory(stage__production=production, title="Book the van")

    admin_client.post(admin_url("checklistitem", "delete", item.pk), {"post": "yes"})

    assert production.activities.get().changes == {"admin": "deleted"}


def test_the_admin_refuses_a_reserved_slug(admin_client):
    response = admin_client.post(
        admin_url("production", "add"),
        {
            "title": "New",
            "slug": "new",
            "kind": "other",
            "status": "planning",
            **{
                f"{prefix}-{key}": value
                for prefix in ("stages", "assignments", "memberships")
                for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
            },
        },
    )

    assert response.status_code == 200
    assert "reserved" in str(response.context["adminform"].form.errors["slug"])


def test_the_admin_strips_bidi_overrides_from_titles(admin_client):
    admin_client.post(
        admin_url("production", "add"),
        {
            "title": "Neon\u202e Nights",
            "slug": "neon-nights-admin",
            "kind": "other",
            "status": "planning",
            **{
                f"{prefix}-{key}": value
                for prefix in ("stages", "assignments", "memberships")
                for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
            },
        },
    )

    assert Production.objects.get(slug="neon-nights-admin").title == "Neon Nights"


def test_moving_an_item_to_another_production_in_the_admin_recounts_both(admin_client, production):
    item = ChecklistItemFactory(stage__production=production, title="Book the van")
    elsewhere = StageFactory(production=ProductionFactory())

    admin_client.post(
        admin_url("checklistitem", "change", item.pk),
        {"stage": elsewhere.pk, "title": "Book the van", "notes": "", "position": 0},
    )

    assert wrong_counters() == []
    assert Production.objects.get(pk=production.pk).item_count == 0


def test_a_very_long_admin_search_is_cut_not_a_500(admin_client):
    ProductionFactory()

    response = admin_client.get("/admin/productions/production/", {"q": "x" * 60_000})

    assert response.status_code == 200
