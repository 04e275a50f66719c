import pytest


@pytest.mark.django_db
def test_it_shows_a_404_page_with_a_way_back(logged_in):
    response = logged_in.get("/productions/no-such-production/")
    assert response.status_code == 404
    assert b"Back to the productions" in response.content


def test_it_redirects_the_favicon_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


@pytest.mark.django_db
def test_it_refuses_a_crew_role_that_differs_only_in_case(admin_client):
    response = admin_client.post(
        "/admin/productions/crewrole/add/", {"name": "director", "department": "direction"}
    )
    assert response.status_code == 200
    assert b"A crew role with this name already exists." in response.content
