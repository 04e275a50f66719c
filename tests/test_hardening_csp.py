"""The Content-Security-Policy allows no inline style; progress bars use classes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ChecklistItemFactory

LOGIN = reverse("login")


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def bar_classes(html):
    return re.findall(r'class="progress-bar[^"]*\bw-pct-(\d+)\b[^"]*"', html)


@pytest.mark.django_db
def test_the_policy_allows_no_inline_style(client):
    policy = directives(client.get(LOGIN))

    assert "'unsafe-inline'" not in " ".join(v for values in policy.values() for v in values)
    assert "style-src-attr" not in policy
    assert policy["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_policy_allows_no_base_element_and_no_plugins(client):
    """Issue 14: markup that got into a page can neither move the page's
    relative links and forms elsewhere (<base href>) nor embed a plugin."""
    policy = directives(client.get(LOGIN))

    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["default-src"] == ["'self'"]


def test_every_page_answers_with_the_policy(logged_in, half_done_production):
    for url in (
        reverse("production_list"),
        reverse("production_detail", args=[half_done_production.slug]),
        reverse("production_clone", args=[half_done_production.slug]),
    ):
        policy = directives(logged_in.get(url))
        assert policy["base-uri"] == ["'none'"], url
        assert policy["object-src"] == ["'none'"], url


@pytest.fixture
def half_done_production(db):
    first = ChecklistItemFactory(done=True, done_at=timezone.now())
    ChecklistItemFactory(stage=first.stage, done=False)
    ChecklistItemFactory(stage=first.stage, done=False)
    return first.stage.production  # 1 of 3 done: 33%


@pytest.mark.parametrize("url_name", ["production_list", "production_detail"])
def test_pages_have_no_style_attribute(logged_in, half_done_production, url_name):
    args = [half_done_production.slug] if url_name == "production_detail" else []

    response = logged_in.get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert "style=" not in response.text
    assert "<style" not in response.text


def test_the_list_shows_progress_with_a_width_class(logged_in, half_done_production):
    response = logged_in.get(reverse("production_list"))

    assert bar_classes(response.text) == ["35"]
    assert 'aria-valuenow="33"' in response.text


def test_the_production_page_shows_progress_with_width_classes(logged_in, half_done_production):
    response = logged_in.get(reverse("production_detail", args=[half_done_production.slug]))

    assert bar_classes(response.text) == ["35", "35"]  # the production, its one stage


def test_every_width_class_is_in_the_stylesheet():
    css = Path(finders.find("css/app.css")).read_text()

    for percent in range(0, 101, 5):
        assert re.search(rf"\.w-pct-{percent} \{{ width: {percent}%; \}}", css)


@pytest.mark.parametrize(
    ("percent", "width"),
    [
        (0, 0),
        (1, 5),
        (2, 5),
        (7, 5),
        (7.5, 10),
        (12.4, 10),
        (33, 35),
        (50, 50),
        (97, 95),
        (99, 95),
        (99.9, 95),
        (100, 100),
        (-5, 0),
        (250, 100),
        ("42", 40),
        ("", 0),
        (None, 0),
        ("nan", 0),
        ("inf", 0),
    ],
)
def test_pct5_rounds_to_a_width_class(percent, width):
    rendered = Template("{{ percent|pct5 }}").render(Context({"percent": percent}))

    assert rendered == str(width)


def test_the_ui_filters_need_no_load_tag():
    options = settings.TEMPLATES[0]["OPTIONS"]

    assert "productions.templatetags.ui" in options["builtins"]


def test_htmx_injects_no_indicator_styles(client, db):
    # htmx would add an inline <style> for its indicators, which the policy blocks.
    response = client.get(LOGIN)

    assert '"includeIndicatorStyles": false' in response.text


# Django's own debug pages


@pytest.mark.django_db
def test_django_debug_pages_are_exempt_from_the_policy(logged_in, settings):
    # Django 6 serves its technical 404/500 pages without a CSP header
    # (csp_override({})), so their inline styles and scripts work when DEBUG
    # is on; our own pages keep the policy.
    settings.DEBUG = True

    debug_404 = logged_in.get("/no-such-page/")
    own_page = logged_in.get(reverse("production_list"))

    assert debug_404.status_code == 404
    assert "Content-Security-Policy" not in debug_404
    assert "Content-Security-Policy" in own_page


@pytest.mark.django_db
def test_our_404_page_keeps_the_policy(logged_in):
    response = logged_in.get("/no-such-page/")

    assert response.status_code == 404
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_our_400_answer_is_plain_text(settings):
    # The 400 for an unreadable body is text/plain: nothing in it to run or style.
    response = Client().get("/?q=%00")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
