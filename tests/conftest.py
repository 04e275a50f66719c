import importlib

import pytest
from django.test import Client

from productions.models import Membership
from tests.factories import MembershipFactory, ProductionFactory, UserFactory

HTMX = {"headers": {"HX-Request": "true"}}
"""Makes a test client's request an htmx one: `client.post(url, data, **HTMX)`."""


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The hashed-manifest storage used in production needs `collectstatic`
    # first; tests read static files straight from the source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a fragment cached by an earlier
    test (whose rows had the same ids, rolled back) is not shown in this one."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def _strict_fetching(settings):
    settings.STRICT_FETCHING = True


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Background tasks (password reset mails) run as they are enqueued, so a
    # test sees their effect; tests of the queue itself set the real backend.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttles count in the cache: each test starts from none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is slow on purpose; tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _seed_data(request, django_db_blocker):
    """The crew roles and stage templates the migrations seed, whatever ran before.

    A transactional test (the browser tests, the PostgreSQL races) flushes
    the database when it ends, and pytest may run plain database tests after
    it. Before such a test, put the seed back, outside its transaction (one
    query when it is there already)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional or not (marker is not None or "db" in names):
        return
    from django.apps import apps

    from productions.models import CrewRole

    request.getfixturevalue("django_db_setup")  # the test database, not the real one
    with django_db_blocker.unblock():
        if not CrewRole.objects.exists():
            seed = importlib.import_module("productions.migrations.0002_seed_roles_and_templates")
            seed.seed(apps, None)


@pytest.fixture
def user(db):
    """A staff coordinator: sees and may change everything (the first version's
    tests run as this user). Per-level behaviour is pinned with the cast below."""
    return UserFactory(username="coordinator", is_staff=True)


@pytest.fixture
def other_user(db):
    return UserFactory(username="other")


@pytest.fixture
def logged_in(client, user):
    """The `client`, logged in as a production coordinator."""
    client.force_login(user)
    return client


# The cast, after healthchecks' alice/bob/charlie: one production, and a user
# at each access level on it, plus an outsider and staff.


@pytest.fixture
def production(db):
    return ProductionFactory(title="Neon Nights", slug="neon-nights")


def _member(production, username, level):
    user = UserFactory(username=username)
    MembershipFactory(production=production, user=user, level=level)
    return user


@pytest.fixture
def manager(production):
    return _member(production, "mina", Membership.Level.MANAGER)


@pytest.fixture
def editor(production):
    return _member(production, "eddie", Membership.Level.EDITOR)


@pytest.fixture
def viewer(production):
    return _member(production, "vera", Membership.Level.VIEWER)


@pytest.fixture
def outsider(db):
    return UserFactory(username="otto")


@pytest.fixture
def staff(db):
    return UserFactory(username="stella", is_staff=True, is_superuser=True)


@pytest.fixture
def cast(manager, editor, viewer, outsider, staff):
    return {
        "manager": manager,
        "editor": editor,
        "viewer": viewer,
        "outsider": outsider,
        "staff": staff,
    }


def client_for(user):
    """A fresh test client logged in as `user` (None: anonymous)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
