import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    AssignmentFactory,
    ChecklistItemFactory,
    CrewMemberFactory,
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
        "assignment",
        "checklistitem",
        "checklistitemtemplate",
        "crewmember",
        "crewrole",
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


@pytest.mark.parametrize("model_name", PRODUCTIONS_MODELS)
def test_it_shows_the_add_page(admin_client, model_name):
    response = admin_client.get(admin_url(model_name, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model_name", PRODUCTIONS_MODELS)
def test_it_searches_the_changelist(admin_client, model_name):
    AssignmentFactory()
    ChecklistItemFactory(assignee=CrewMemberFactory())

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
