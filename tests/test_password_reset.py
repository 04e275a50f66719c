"""Forgot your password? Django's reset flow, with our pages and email."""

import re

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from tests.factories import UserFactory

NEW_PASSWORD = "backstage-pass-2024"


@pytest.fixture
def vera(db):
    return UserFactory(username="vera", email="vera@example.com")


def reset_link(message):
    match = re.search(r"http://testserver(/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_login_page_links_to_password_reset(client, db):
    assertContains(
        client.get("/login/"),
        '<a class="btn btn-link" href="/password-reset/">Forgot your password?</a>',
    )


@pytest.mark.parametrize(
    "url", ["/password-reset/", "/password-reset/sent/", "/reset/done/", "/reset/MQ/abc-def/"]
)
def test_the_password_reset_pages_need_no_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    assertTemplateUsed(response, "base.html")


def test_the_password_reset_flow_end_to_end(client, vera, mailoutbox):
    response = client.post("/password-reset/", {"email": "VERA@example.com"})

    assertRedirects(response, "/password-reset/sent/")
    [message] = mailoutbox
    assert message.to == ["vera@example.com"]
    assert message.subject == "Reset your BTS Tracker password"
    assert "Your username, in case you have forgotten it: vera" in message.body
    link = reset_link(message)

    response = client.get(link)
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")  # The token leaves the address bar.
    assertContains(client.get(form_url), "Choose a new password")

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assertRedirects(response, "/reset/done/")
    assertContains(client.get("/reset/done/"), "Your password is changed")

    login = Client().post("/login/", {"username": "vera", "password": NEW_PASSWORD})
    assertRedirects(login, "/", fetch_redirect_response=False)
    # The link worked once.
    assertContains(Client().get(link), "This link does not work")


def test_the_password_reset_applies_the_password_validators(client, vera, mailoutbox):
    client.post("/password-reset/", {"email": "vera@example.com"})
    form_url = client.get(reset_link(mailoutbox[0]))["Location"]

    response = client.post(form_url, {"new_password1": "vera", "new_password2": "vera"})

    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert "The password is too similar to the username." in errors
    vera.refresh_from_db()
    assert vera.check_password("password")


def test_an_unknown_email_gets_the_same_answer_and_no_email(client, vera, mailoutbox):
    response = client.post("/password-reset/", {"email": "nobody@example.com"})

    assertRedirects(response, "/password-reset/sent/")
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [("!!!", "abc"), ("_w", "abc"), ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "abc"), ("MQ", "bad")],
)
def test_a_malformed_reset_link_shows_a_clear_page(client, vera, uidb64, token):
    response = client.get(f"/reset/{uidb64}/{token}/")

    assertContains(response, "This link does not work")
    assertContains(response, 'href="/password-reset/"')
