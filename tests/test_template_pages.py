"""The pages of named checklist templates (issue 6, capability 7): save as
template, the templates page, deleting one, and "Start from" on the
new-production page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from productions import services
from productions.models import ChecklistItem, ChecklistTemplate, Production, StageTemplate
from tests.conftest import HTMX, client_for
from tests.factories import (
    ChecklistItemFactory,
    ChecklistTemplateFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def source(production):
    """Neon Nights starting 10 March, with a stage of two items (one done)."""
    Production.objects.filter(pk=production.pk).update(
        kind=Production.Kind.CONCERT, start_date=D(2026, 3, 10)
    )
    production.refresh_from_db()
    stage = StageFactory(production=production, name="Rigging", due_date=D(2026, 3, 9))
    ChecklistItemFactory(stage=stage, title="Book the truss", done=True, done_at=timezone.now())
    ChecklistItemFactory(stage=stage, title="Check the hoists", due_date=D(2026, 3, 2))
    production.refresh_from_db()
    return production


# The save-as-template page


def save_url(production):
    return reverse("production_save_template", args=[production.slug])


def test_the_save_page_suggests_the_production_title(source, manager):
    response = client_for(manager).get(save_url(source))

    assertContains(response, 'name="name" value="Neon Nights"')


def test_saving_a_template_goes_to_the_templates_page(source, manager):
    client = client_for(manager)

    response = client.post(save_url(source), {"name": "Arena show", "description": "Big rooms."})

    assertRedirects(response, reverse("template_list"), fetch_redirect_response=False)
    page = client.get(reverse("template_list"))
    assertContains(page, "as the template “Arena show”")
    assertContains(page, "Big rooms.")
    assert ChecklistTemplate.objects.get().description == "Big rooms."


def test_saving_with_htmx_redirects_the_page(source, manager):
    response = client_for(manager).post(save_url(source), {"name": "Arena show"}, **HTMX)

    assert response["HX-Redirect"] == reverse("template_list")


@pytest.mark.parametrize("name", ["ARENA SHOW", "arena show", "Arena Show"])
def test_a_taken_name_is_said_next_to_the_field(source, manager, name):
    ChecklistTemplateFactory(name="Arena Show")

    response = client_for(manager).post(save_url(source), {"name": name}, **HTMX)

    assertContains(response, "A template with this name already exists", status_code=422)
    assertContains(response, 'id="template-save-form"', status_code=422)
    assertNotContains(response, "<html", status_code=422)
    assert ChecklistTemplate.objects.count() == 1


@pytest.mark.parametrize("name", ["", "   ", "\u200b\u200b", "n" * 201])
def test_a_template_needs_a_name_that_fits(source, manager, name):
    response = client_for(manager).post(save_url(source), {"name": name})

    assert response.status_code == 422
    assert not ChecklistTemplate.objects.exists()


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_only_managers_save_templates(source, cast, who):
    client = client_for(cast[who])

    assert client.get(save_url(source)).status_code == 403
    assert client.post(save_url(source), {"name": "Mine"}).status_code == 403
    assert not ChecklistTemplate.objects.exists()


def test_an_outsider_cannot_save_a_template_of_a_production_they_cannot_see(source, outsider):
    assert client_for(outsider).post(save_url(source), {"name": "Mine"}).status_code == 404
    assert not ChecklistTemplate.objects.exists()


# The templates page


def test_the_templates_page_lists_every_template_for_anyone_logged_in(outsider, manager):
    ChecklistTemplateFactory(name="Arena show", created_by=manager, description="For big rooms.")

    response = client_for(outsider).get(reverse("template_list"))

    assertContains(response, "Arena show")
    assertContains(response, "Concert · 1 stage, 2 items")
    assertContains(response, "by mina")
    assertContains(response, "For big rooms.")
    template = ChecklistTemplate.objects.get()
    assertContains(response, f'href="{reverse("production_create")}?template={template.pk}"')


def test_only_who_saved_a_template_or_staff_see_its_delete_link(manager, editor, staff):
    template = ChecklistTemplateFactory(created_by=manager)
    delete = f'href="{reverse("template_delete", args=[template.pk])}"'

    assertContains(client_for(manager).get(reverse("template_list")), delete)
    assertContains(client_for(staff).get(reverse("template_list")), delete)
    assertNotContains(client_for(editor).get(reverse("template_list")), delete)


def test_the_templates_page_without_templates_says_how_to_make_one(editor):
    assertContains(client_for(editor).get(reverse("template_list")), "No templates yet.")


# Session and user; the count of templates; the page of them with who saved each.
LIST_QUERIES = 4


@pytest.mark.parametrize("count", [1, 20])
def test_the_templates_page_costs_the_same_at_any_size(manager, count, django_assert_num_queries):
    for _ in range(count):
        ChecklistTemplateFactory(created_by=UserFactory())
    client = client_for(manager)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("template_list"))

    assert response.status_code == 200


def test_the_templates_page_is_paginated(manager):
    for n in range(30):
        ChecklistTemplateFactory(name=f"T{n:02}")

    first = client_for(manager).get(reverse("template_list"))
    second = client_for(manager).get(reverse("template_list"), {"page": "2"})

    assertContains(first, "T24")
    assertNotContains(first, "T25")
    assertContains(second, "T29")
    assert client_for(manager).get(reverse("template_list"), {"page": "abc"}).status_code == 200


# Deleting


def delete_url(template):
    return reverse("template_delete", args=[template.pk])


def test_who_saved_a_template_may_delete_it(manager):
    template = ChecklistTemplateFactory(created_by=manager, name="Arena show")
    client = client_for(manager)

    assertContains(client.get(delete_url(template)), "Delete the template Arena show?")
    response = client.post(delete_url(template))

    assertRedirects(response, reverse("template_list"), fetch_redirect_response=False)
    assert not ChecklistTemplate.objects.exists()


def test_staff_may_delete_anyones_template(manager, staff):
    template = ChecklistTemplateFactory(created_by=manager)

    client_for(staff).post(delete_url(template))

    assert not ChecklistTemplate.objects.exists()


def test_no_one_else_may_delete_a_template(manager, editor, outsider):
    template = ChecklistTemplateFactory(created_by=manager)

    for user in (editor, outsider):
        assert client_for(user).get(delete_url(template)).status_code == 403
        assert client_for(user).post(delete_url(template)).status_code == 403
    assert ChecklistTemplate.objects.exists()


def test_a_template_without_its_saver_is_for_staff_to_delete(manager):
    template = ChecklistTemplateFactory(created_by=None)

    assert client_for(manager).post(delete_url(template)).status_code == 403


def test_deleting_a_missing_template_is_not_found(manager):
    for pk in (999_999, 2**63 - 1, 2**63, 2**80):
        assert client_for(manager).post(f"/templates/{pk}/delete/").status_code == 404


def test_productions_started_from_a_deleted_template_keep_their_stages(manager):
    template = ChecklistTemplateFactory(created_by=manager)
    production = services.create_production_from_template(template, by=manager, title="Arena")

    services.delete_template(template, by=manager)

    assert production.stages.count() == 1


# Starting from a template on the new-production page


NEW = {"title": "Arena Tour", "kind": "concert", "status": "planning"}


def test_the_new_production_page_offers_the_usual_stages_or_a_template(manager):
    template = ChecklistTemplateFactory(name="Arena show")

    response = client_for(manager).get(reverse("production_create"))

    assertContains(response, "Start from")
    assertContains(response, '<option value="" selected>The usual stages for its kind</option>')
    assertContains(
        response, f'<option value="{template.pk}">Arena show (Concert: 1 stage, 2 items)</option>'
    )


def test_start_from_this_chooses_the_template_and_its_kind(manager):
    template = ChecklistTemplateFactory(name="Play", kind=Production.Kind.THEATRE)

    response = client_for(manager).get(reverse("production_create"), {"template": template.pk})

    assertContains(response, f'<option value="{template.pk}" selected>')
    assertContains(response, '<option value="theatre" selected>')


@pytest.mark.parametrize("value", ["abc", "-1", "0", "999999", str(2**64), "١", ""])
def test_an_odd_template_in_the_address_is_ignored(manager, value):
    response = client_for(manager).get(reverse("production_create"), {"template": value})

    assertContains(response, '<option value="" selected>The usual stages for its kind</option>')


def test_a_new_production_from_a_template_has_its_stages_not_the_kinds(manager):
    template = ChecklistTemplateFactory(name="Arena show")
    client = client_for(manager)

    response = client.post(
        reverse("production_create"),
        {**NEW, "template": template.pk, "start_date": "2027-01-20"},
    )

    production = Production.objects.get(title="Arena Tour")
    assertRedirects(response, production.get_absolute_url(), fetch_redirect_response=False)
    assert list(production.stages.values_list("name", flat=True)) == ["Rigging"]
    dues = dict(
        ChecklistItem.objects.filter(stage__production=production).values_list("title", "due_date")
    )
    assert dues == {"Book the truss": D(2027, 1, 15), "Check the hoists": None}
    page = client.get(production.get_absolute_url())
    assertContains(page, "Created Arena Tour from the template “Arena show”.")


def test_a_new_production_without_a_template_still_gets_the_kinds_stages(manager):
    ChecklistTemplateFactory()

    client_for(manager).post(reverse("production_create"), NEW)

    production = Production.objects.get(title="Arena Tour")
    usual = StageTemplate.objects.filter(kind="concert").values_list("name", flat=True)
    assert list(production.stages.values_list("name", flat=True)) == list(usual)
    assert len(usual) > 0


def test_a_template_deleted_meanwhile_is_said_next_to_the_field(manager):
    template = ChecklistTemplateFactory()
    pk = template.pk
    template.delete()

    response = client_for(manager).post(
        reverse("production_create"), {**NEW, "template": pk}, **HTMX
    )

    assertContains(response, "Select a valid choice", status_code=422)
    assert not Production.objects.filter(title="Arena Tour").exists()


def test_a_start_date_that_pushes_template_dates_off_the_calendar_is_a_message(manager):
    template = ChecklistTemplateFactory()

    response = client_for(manager).post(
        reverse("production_create"),
        {**NEW, "template": template.pk, "start_date": "1900-01-02"},
        **HTMX,
    )

    assertContains(response, "outside the calendar", status_code=422)
    assertContains(response, 'id="production-form"', status_code=422)
    assert not Production.objects.filter(title="Arena Tour").exists()


@pytest.mark.parametrize("stages", [{}, "x", [{"name": "a"}]], ids=["dict", "text", "no-items"])
def test_a_template_spoiled_by_hand_is_refused_next_to_the_choice(manager, stages):
    template = ChecklistTemplateFactory(name="Spoiled")
    ChecklistTemplate.objects.filter(pk=template.pk).update(stages=stages)
    productions = Production.all_objects.count()

    response = client_for(manager).post(
        reverse("production_create"), {**NEW, "template": template.pk}, **HTMX
    )

    assert response.status_code == 422
    assert Production.all_objects.count() == productions
