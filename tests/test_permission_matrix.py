"""Every URL of the project x every kind of visitor x GET and POST.

The URLs are read from the resolver: a URL without a row in ROWS (the table,
in tests/permission_rows.py) fails `test_every_url_has_a_row`, so a new page
cannot ship without saying who may use it. The admin is one group (it is
staff-only as a whole), sampled in ADMIN_ROWS.

Expected answers follow access.py: anonymous visitors are sent to log in
(but for the public login, password reset and invitation pages); outsiders
get 404 for anything of a production; viewers read; editors change the
checklist, comments and freelancers; managers (and staff, who count as
managers everywhere) do everything. A view that takes POST only answers a GET
with 405 whoever asks (the decorator runs before any lookup, so it leaks
nothing). Every refused request must leave the database as it was, every GET
too, and a write that succeeds must leave an activity entry.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from productions.models import Activity, Production
from tests.conftest import client_for
from tests.permission_rows import (
    ADMIN_LOGIN,
    ADMIN_ROWS,
    ALL_ROWS,
    ANY_LOGIN,
    ARCHIVED_DATA,
    LOGIN,
    METHODS,
    ROLES,
    ROWS,
    archived_answers,
)
from tests.urlcases import build_world, is_admin, iter_url_patterns, snapshot


def resolver_keys():
    return dict(iter_url_patterns())


def test_every_url_has_a_row():
    keys = resolver_keys()
    app = {key for key, route in keys.items() if not is_admin(key, route)}
    missing = sorted(app - set(ROWS))
    stale = sorted(set(ROWS) - app)
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def test_every_sampled_admin_url_exists():
    keys = resolver_keys()
    assert set(ADMIN_ROWS) <= set(keys)
    assert all(is_admin(key, keys[key]) for key in ADMIN_ROWS)


def test_the_matrix_size():
    # URL names x roles x methods, printed for the record (pytest -s).
    size = len(ALL_ROWS) * len(ROLES) * len(METHODS)
    print(f"\npermission matrix: {len(ALL_ROWS)} URLs x {len(ROLES)} roles x 2 = {size}")
    assert size >= 40 * 6 * 2


@pytest.fixture
def world(production, cast):
    return build_world(production, cast)


def url_for(name, world):
    row = ALL_ROWS[name]
    kwargs = row.kwargs(world)
    if name == "favicon.ico":
        return "/favicon.ico"
    return reverse(name, kwargs=kwargs) + row.query


def assert_answer(response, expected, role, to_login=False):
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302, response
        assert location.startswith("/login/?next="), location
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, response
        assert location.startswith("/admin/login/?next="), location
    elif expected == ANY_LOGIN:
        assert response.status_code == 302, response
        assert location.startswith(("/login/?next=", "/admin/login/?next=")), location
    else:
        assert response.status_code == expected, (role, response, location)
        if response.status_code == 302 and role != "anonymous" and not to_login:
            # A logged-in user sent to log in again was really refused.
            assert "login" not in location, location


REFUSED = {LOGIN, ADMIN_LOGIN, ANY_LOGIN, 403, 404, 405}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALL_ROWS))
def test_matrix(name, role, method, world, cast):
    row = ALL_ROWS[name]
    expected = (row.get if method == "GET" else row.post)[role]
    client = client_for(None if role == "anonymous" else cast[role])
    url = url_for(name, world)
    before = snapshot()
    activities = Activity.objects.count()

    response = client.get(url) if method == "GET" else client.post(url, row.data(world))

    assert_answer(response, expected, role, row.to_login)
    if method == "GET" or expected in REFUSED:
        assert snapshot() == before, f"{method} {url} as {role} changed the database"
    elif row.logs and not is_admin(name, url):
        assert Activity.objects.count() > activities, f"{method} {url} left no activity entry"


# The same URLs on an archived production (and an archived one in the trash).


@pytest.fixture
def archived_world(production, cast):
    world = build_world(production, cast)
    now = timezone.now()
    ids = [world.production.pk, world.deleted_production.pk]
    Production.all_objects.filter(pk__in=ids).update(archived_at=now)
    world.production.archived_at = world.deleted_production.archived_at = now
    return world


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_archived_matrix(name, role, method, archived_world, cast):
    row = ROWS[name]
    expected = archived_answers(name, method)[role]
    client = client_for(None if role == "anonymous" else cast[role])
    url = url_for(name, archived_world)
    data = ARCHIVED_DATA.get(name, row.data)(archived_world)
    before = snapshot()
    activities = Activity.objects.count()

    response = client.get(url) if method == "GET" else client.post(url, data)

    assert_answer(response, expected, role, row.to_login)
    if method == "GET" or expected in REFUSED:
        assert snapshot() == before, f"{method} {url} as {role} changed the database"
    elif row.logs:
        assert Activity.objects.count() > activities, f"{method} {url} left no activity entry"


# Every admin page of every registered model, not only the sample.


def admin_model_urls():
    """(URL name, the staff's answer): 403 for an add page the ModelAdmin
    refuses everyone (django-axes' logs)."""
    factory = RequestFactory()
    urls = [("admin:index", 200)]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        request = factory.get("/")
        request.user = User(is_staff=True, is_superuser=True, is_active=True)
        add = 200 if model_admin.has_add_permission(request) else 403
        urls.append((f"admin:{opts.app_label}_{opts.model_name}_changelist", 200))
        urls.append((f"admin:{opts.app_label}_{opts.model_name}_add", add))
    return urls


@pytest.mark.parametrize(("name", "staff_status"), admin_model_urls())
def test_the_admin_is_staff_only(name, staff_status, cast):
    url = reverse(name)

    assert_answer(client_for(None).get(url), ANY_LOGIN, "anonymous")
    for role in ("outsider", "viewer", "editor", "manager"):
        assert_answer(client_for(cast[role]).get(url), ADMIN_LOGIN, role)
    assert client_for(cast["staff"]).get(url).status_code == staff_status
