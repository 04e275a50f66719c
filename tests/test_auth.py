import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import ChecklistItemFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def script_tags(response):
    return re.findall(r"<script\b[^>]*>", response.text)


def test_it_shows_the_login_page(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert 'name="password"' in response.text


def test_it_logs_in_and_goes_to_my_work(client, user):
    response = client.post(LOGIN, {"username": "coordinator", "password": "password"})

    assert response.status_code == 302
    assert response.url == reverse("my_work")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_it_logs_in_and_goes_back_to_the_page_asked_for(client, user):
    next_url = reverse("production_create")

    response = client.post(
        LOGIN, {"username": "coordinator", "password": "password", "next": next_url}
    )

    assert response.status_code == 302
    assert response.url == next_url


def test_it_refuses_to_go_to_another_site_after_logging_in(client, user):
    response = client.post(
        LOGIN,
        {"username": "coordinator", "password": "password", "next": "https://evil.example/"},
    )

    assert response.url == reverse("my_work")


def test_it_shows_an_error_for_a_wrong_password(client, user):
    response = client.post(LOGIN, {"username": "coordinator", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert SESSION_KEY not in client.session


def test_it_logs_out_with_a_post_and_goes_to_login(logged_in):
    response = logged_in.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == LOGIN
    assert SESSION_KEY not in logged_in.session


def test_it_does_not_log_out_on_a_get(logged_in):
    response = logged_in.get(reverse("logout"))

    assert response.status_code == 405
    assert SESSION_KEY in logged_in.session


def test_it_shows_a_log_out_button_to_logged_in_users(logged_in):
    response = logged_in.get(reverse("production_list"))

    assert f'method="post" action="{reverse("logout")}"' in response.text


@pytest.mark.parametrize("url", ["/", "/productions/new/"])
def test_it_sends_anonymous_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"


def test_it_requires_a_login_for_every_production_page(client):
    item = ChecklistItemFactory()
    production = item.stage.production
    urls = [
        reverse("production_detail", args=[production.slug]),
        reverse("production_edit", args=[production.slug]),
        reverse("production_export_csv", args=[production.slug]),
        reverse("item_detail", args=[item.pk]),
        reverse("item_edit", args=[item.pk]),
        reverse("item_delete", args=[item.pk]),
    ]

    for url in urls:
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"{LOGIN}?next={url}")


def test_it_requires_a_login_to_change_anything(client):
    item = ChecklistItemFactory()

    response = client.post(reverse("item_toggle", args=[item.pk]), {"done": "1"})

    assert response.status_code == 302
    assert response.url.startswith(f"{LOGIN}?next=")
    item.refresh_from_db()
    assert not item.done


def assert_only_nonced_scripts_from_this_site(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert len(policy["script-src"]) == 2
    assert policy["script-src"][0] == "'self'"
    assert re.fullmatch(r"'nonce-[\w+/=-]+'", policy["script-src"][1])


def test_it_allows_only_nonced_scripts_from_this_site_on_the_login_page(client):
    assert_only_nonced_scripts_from_this_site(client.get(LOGIN))


def test_it_allows_only_nonced_scripts_from_this_site_on_app_pages(logged_in):
    assert_only_nonced_scripts_from_this_site(logged_in.get(reverse("production_list")))


def test_it_names_no_other_host_in_the_security_policy(client):
    policy = client.get(LOGIN)["Content-Security-Policy"]

    assert "http" not in policy
    assert "cdn" not in policy
    assert "*" not in policy
    assert "unsafe-eval" not in policy


def test_it_gives_every_script_the_policy_nonce(client):
    response = client.get(LOGIN)

    nonce = directives(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    tags = script_tags(response)
    assert tags
    assert all(f'nonce="{nonce}"' in tag for tag in tags)


def test_it_uses_a_new_nonce_for_every_response(client):
    first = directives(client.get(LOGIN))["script-src"]
    second = directives(client.get(LOGIN))["script-src"]

    assert first != second


def test_it_serves_htmx_and_bootstrap_from_this_site(client):
    response = client.get(LOGIN)

    sources = [re.search(r'src="([^"]+)"', tag).group(1) for tag in script_tags(response)]
    assert any(re.fullmatch(r"/static/django_htmx/htmx[\w.-]*\.js", src) for src in sources)
    assert all(src.startswith("/static/") for src in sources)
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in response.text
    assert "cdn" not in response.text


def test_it_forbids_framing_and_sniffing(client):
    response = client.get(LOGIN)

    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_has_every_script_and_stylesheet_the_page_links_to(client):
    response = client.get(LOGIN)

    paths = re.findall(r'(?:src|href)="/static/([^"]+)"', response.text)
    assert len(paths) >= 3
    assert all(finders.find(path) for path in paths)
