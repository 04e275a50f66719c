import pytest

from tests.factories import ChecklistItemFactory


@pytest.mark.django_db
def test_it_redirects_anonymous_pages_to_login(client):
    response = client.get("/productions/new/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/productions/new/"


@pytest.mark.django_db
def test_it_sends_an_expired_htmx_request_to_login_for_the_whole_page(client):
    item = ChecklistItemFactory()
    page = f"http://testserver/productions/{item.stage.production.slug}/"
    response = client.post(
        f"/items/{item.pk}/toggle/",
        {"done": "1"},
        headers={"HX-Request": "true", "HX-Current-URL": page},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == (f"/login/?next=/productions/{item.stage.production.slug}/")
    item.refresh_from_db()
    assert not item.done


@pytest.mark.django_db
def test_it_lets_anyone_see_the_login_page(client):
    assert client.get("/login/").status_code == 200
