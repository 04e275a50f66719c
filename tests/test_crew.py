import pytest

from productions.models import Assignment
from tests.factories import (
    AssignmentFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    ProductionFactory,
    StageFactory,
)

HTMX = {"HX-Request": "true"}


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
    response = logged_in.post(
        ADD_URL, {"crew_member": crew_member.pk, "role": role.pk}, headers=HTMX
    )

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
        'id="error_1_id_crew_member"><strong>Ana Ruiz is already on the crew as Choreographer.'
        in html
    )
    assert production.assignments.count() == 1


def test_it_refuses_a_duplicate_of_the_usual_role(logged_in, production, role):
    crew_member = CrewMemberFactory(name="Ana Ruiz", default_role=role)
    AssignmentFactory(production=production, crew_member=crew_member, role=role)

    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk}, headers=HTMX)

    assert response.status_code == 422
    assert b"is already on the crew as Choreographer." in response.content
    assert production.assignments.count() == 1


def test_it_asks_for_a_role_when_there_is_no_usual_one(logged_in, production, crew_member):
    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk, "role": ""})

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="error_1_id_role"><strong>Ana Ruiz has no usual role: pick one.' in html
    assert not production.assignments.exists()


def test_it_refuses_an_unknown_crew_member(logged_in, production, role):
    response = logged_in.post(ADD_URL, {"crew_member": "999999", "role": role.pk})

    assert response.status_code == 422
    assert b'id="error_1_id_crew_member"><strong>Select a valid choice.' in response.content
    assert not production.assignments.exists()


def test_it_shows_the_whole_page_again_on_an_error(logged_in, production, crew_member):
    StageFactory(production=production, name="Location scouting")

    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk})

    assert response.status_code == 422
    assert b"<html" in response.content
    assert b"Location scouting" in response.content
    assert b'id="error_1_id_role"' in response.content


def test_it_answers_htmx_errors_with_the_crew_fragment(logged_in, production, crew_member):
    response = logged_in.post(ADD_URL, {"crew_member": crew_member.pk}, headers=HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="crew"')
    assert 'id="error_1_id_role"><strong>Ana Ruiz has no usual role: pick one.' in html


def test_it_404s_for_an_unknown_production(logged_in, crew_member, role):
    response = logged_in.post("/productions/nope/crew/", {"crew_member": crew_member.pk})

    assert response.status_code == 404


def test_it_refuses_get_on_add(logged_in, production):
    assert logged_in.get(ADD_URL).status_code == 405


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
    response = logged_in.post(remove_url(assignment), headers=HTMX)

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
