import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from productions.models import Activity, Assignment, ChecklistItem, CrewMember
from tests.conftest import HTMX, client_for
from tests.factories import (
    AssignmentFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    ProductionFactory,
    StageFactory,
)


@pytest.fixture
def production(db):
    return ProductionFactory(slug="neon-nights")


@pytest.fixture
def role(db):
    return CrewRoleFactory(name="Choreographer")


@pytest.fixture
def crew_member(db):
    return CrewMemberFactory(name="Ana Ruiz")


ADD_URL = "/productions/neon-nights/crew/"


def remove_url(assignment):
    return f"/assignments/{assignment.pk}/remove/"


# assignment_add


def test_it_assigns_crew_and_redirects(logged_in, production, crew_member, role):
    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": role.pk})

    assert response.status_code == 302
    assert response.url == "/productions/neon-nights/#crew"
    assignment = production.assignments.get()
    assert (assignment.crew_member, assignment.role) == (crew_member, role)


def test_it_defaults_to_the_crew_members_usual_role(logged_in, production, role):
    crew_member = CrewMemberFactory(default_role=role)

    logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": ""})

    assert production.assignments.get().role == role


def test_it_lets_one_person_take_two_roles(logged_in, production, crew_member, role):
    AssignmentFactory(production=production, crew_member=crew_member)

    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": role.pk})

    assert response.status_code == 302
    assert production.assignments.count() == 2


def test_it_answers_htmx_with_the_crew_fragment(logged_in, production, crew_member, role):
    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": role.pk}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="crew"')
    assignment = production.assignments.get()
    assert f'<li id="assignment-{assignment.pk}"' in html
    assert "<div>Ana Ruiz</div>" in html
    assert "Nobody is assigned yet." not in html


def test_it_refuses_a_duplicate_assignment(logged_in, production, crew_member, role):
    AssignmentFactory(production=production, crew_member=crew_member, role=role)

    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": role.pk})

    assert response.status_code == 422
    assert b"<html" in response.content
    html = response.content.decode()
    assert (
        '<div id="assign-crew_member-error" class="invalid-feedback"><p class="mb-0">'
        "Ana Ruiz is already on the crew as Choreographer." in html
    )
    assert production.assignments.count() == 1


def test_it_refuses_a_duplicate_of_the_usual_role(logged_in, production, role):
    crew_member = CrewMemberFactory(name="Ana Ruiz", default_role=role)
    AssignmentFactory(production=production, crew_member=crew_member, role=role)

    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk}, **HTMX)

    assert response.status_code == 422
    assert b"is already on the crew as Choreographer." in response.content
    assert production.assignments.count() == 1


def test_it_asks_for_a_role_when_there_is_no_usual_one(logged_in, production, crew_member):
    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": ""})

    assert response.status_code == 422
    html = response.content.decode()
    error = 'id="assign-role-error" class="invalid-feedback"><p class="mb-0">'
    assert f"{error}Ana Ruiz has no usual role: pick one." in html
    assert not production.assignments.exists()


def test_it_refuses_an_unknown_crew_member(logged_in, production, role):
    response = logged_in.post(ADD_URL, {"crew_member": "999999", "role": role.pk})

    assert response.status_code == 422
    error = b'id="assign-crew_member-error" class="invalid-feedback"><p class="mb-0">'
    assert error + b"Select a valid choice." in response.content
    assert not production.assignments.exists()


def test_it_shows_the_whole_page_again_on_an_error(logged_in, production, crew_member):
    StageFactory(production=production, name="Location scouting")

    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk})

    assert response.status_code == 422
    assert b"<html" in response.content
    assert b"Location scouting" in response.content
    assert b'id="assign-role-error"' in response.content


def test_it_answers_htmx_errors_with_the_crew_fragment(logged_in, production, crew_member):
    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk}, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="crew"')
    error = 'id="assign-role-error" class="invalid-feedback"><p class="mb-0">'
    assert f"{error}Ana Ruiz has no usual role: pick one." in html


def test_it_404s_for_an_unknown_production(logged_in, crew_member, role):
    response = logged_in.post("/productions/nope/crew/", {"crew_member": crew_member.pk})

    assert response.status_code == 404


def test_get_on_add_shows_the_page_with_the_crew_forms_open(logged_in, production):
    response = logged_in.get(ADD_URL)

    assertContains(response, 'id="assign-crew_member"')
    assertContains(response, "autofocus")
    assertContains(response, 'id="new-crew-name"')


def test_the_production_page_brings_the_crew_forms_only_when_asked(logged_in, production):
    response = logged_in.get(production.get_absolute_url())

    assertNotContains(response, 'id="assign-crew_member"')
    assertContains(response, f'hx-get="{ADD_URL}"')


def test_the_crew_forms_come_as_the_panel_for_htmx(logged_in, production):
    response = logged_in.get(ADD_URL, **HTMX)

    assert response.content.lstrip().startswith(b'<section id="crew"')
    assertContains(response, 'id="assign-crew_member"')
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]


def test_an_editor_gets_the_freelancer_form_open_and_no_directory(production, editor):
    response = client_for(editor).get(ADD_URL, **HTMX)

    assertNotContains(response, 'id="assign-crew_member"')
    assertContains(response, "<details open>")
    assertContains(response, 'id="new-crew-name"')


def test_a_viewer_may_not_ask_for_the_crew_forms(production, viewer):
    assert client_for(viewer).get(ADD_URL, **HTMX).status_code == 403


def focused(response):
    """The ids of the crew panel's fields with autofocus, in page order (the
    first one takes the keyboard)."""
    return re.findall(
        r'<(?:select|input)[^>]* id="([^"]+)"[^>]* autofocus', response.content.decode()
    )


def test_after_a_refused_assign_the_keyboard_is_on_the_field_in_error(
    logged_in, production, crew_member
):
    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk}, **HTMX)

    assert response.status_code == 422
    assert focused(response) == ["assign-role"]


def test_after_an_assign_or_a_removal_the_keyboard_is_back_on_the_crew_member_field(
    logged_in, production, crew_member, role
):
    added = logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": role.pk}, **HTMX)
    removed = logged_in.post(f"/assignments/{Assignment.objects.get().pk}/remove/", **HTMX)

    assert focused(added) == ["assign-crew_member"]
    assert focused(removed) == ["assign-crew_member"]


def test_after_adding_a_freelancer_the_form_stays_open_with_the_keyboard_in_it(
    logged_in, production, role
):
    url = f"/productions/{production.slug}/crew/new/"
    CrewMemberFactory(email="taken@example.com")

    added = logged_in.post(url, {"name": "Noor", "role": role.pk}, **HTMX)
    refused = logged_in.post(
        url, {"name": "Sam", "role": role.pk, "email": "taken@example.com"}, **HTMX
    )
    plain = logged_in.post(url, {"name": "", "role": role.pk})

    assert added.status_code == 200
    assertContains(added, "<details open>")
    assert focused(added) == ["new-crew-name"]
    assert refused.status_code == 422
    assert focused(refused) == ["new-crew-email"]
    # Without JavaScript: the page with the form open, the keyboard in it.
    assert plain.status_code == 422
    assertContains(plain, "<details open>", status_code=422)
    assert focused(plain) == ["new-crew-name"]


def test_it_needs_a_login_to_add(client, production, crew_member, role):
    response = client.post(ADD_URL, {"crew_member": crew_member.pk, "role": role.pk})

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert not Assignment.objects.exists()


# assignment_remove


@pytest.fixture
def assignment(production, crew_member, role):
    return AssignmentFactory(production=production, crew_member=crew_member, role=role)


def test_it_removes_crew_and_redirects(logged_in, assignment):
    response = logged_in.post(remove_url(assignment))

    assert response.status_code == 302
    assert response.url == "/productions/neon-nights/#crew"
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_it_says_who_it_removed(logged_in, assignment):
    response = logged_in.post(remove_url(assignment), follow=True)

    assert "Removed Ana Ruiz – Choreographer from the crew." in response.content.decode()


def test_it_keeps_the_other_assignments(logged_in, production, assignment):
    other = AssignmentFactory(production=production)

    logged_in.post(remove_url(assignment))

    assert list(production.assignments.all()) == [other]


def test_it_answers_htmx_remove_with_the_crew_fragment(logged_in, assignment):
    response = logged_in.post(remove_url(assignment), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="crew"')
    assert f'id="assignment-{assignment.pk}"' not in html
    assert "Nobody is assigned yet." in html
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_it_404s_for_an_unknown_assignment(logged_in, db):
    assert logged_in.post("/assignments/999999/remove/").status_code == 404


def test_it_refuses_get_on_remove(logged_in, assignment):
    assert logged_in.get(remove_url(assignment)).status_code == 405
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_it_needs_a_login_to_remove(client, assignment):
    response = client.post(remove_url(assignment))

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# Crew without the admin


def test_an_editor_adds_a_new_freelancer_to_the_crew(production, editor):

    role = CrewRoleFactory(name="Drone operator")
    response = client_for(editor).post(
        f"/productions/{production.slug}/crew/new/",
        {"name": "Ida Berg", "role": role.pk, "email": "ida@example.com", "phone": "+46 70 1"},
        **HTMX,
    )

    assert response.status_code == 200
    assertContains(response, "Ida Berg")
    ida = CrewMember.objects.get(name="Ida Berg")
    assert list(ida.assignments.values_list("production", "role")) == [(production.pk, role.pk)]
    assert Activity.objects.filter(kind="crew_created", actor=editor).exists()


def test_a_new_freelancer_with_a_known_email_is_refused_next_to_the_field(production, editor):

    CrewMemberFactory(email="ida@example.com")
    role = CrewRoleFactory()

    response = client_for(editor).post(
        f"/productions/{production.slug}/crew/new/",
        {"name": "Ida", "role": role.pk, "email": "IDA@example.com"},
        **HTMX,
    )

    assert response.status_code == 422
    assertContains(response, "already has this email", status_code=422)


def test_a_viewer_may_not_add_a_freelancer(production, viewer):

    response = client_for(viewer).post(
        f"/productions/{production.slug}/crew/new/",
        {"name": "Ida", "role": CrewRoleFactory().pk},
    )

    assert response.status_code == 403
    assert not CrewMember.objects.filter(name="Ida").exists()


def test_the_assignee_choice_offers_this_productions_crew_first_and_unassigned(production, editor):

    CrewMemberFactory(name="Aaron Elsewhere")
    AssignmentFactory(production=production, crew_member__name="Zoe Onset")
    item = ChecklistItem.objects.create(
        stage=StageFactory(production=production), title="Book the van"
    )

    response = client_for(editor).get(f"/items/{item.pk}/edit/", **HTMX)

    choices = [label for _, label in response.context["form"].fields["assignee"].choices]
    assert choices[0] == "Unassigned"
    assert choices[1].startswith("Zoe Onset")
    assert choices.index("Aaron Elsewhere") > 1
