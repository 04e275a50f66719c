import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The hashed-manifest storage used in production needs `collectstatic`
    # first; tests read static files straight from the source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _strict_fetching(settings):
    settings.STRICT_FETCHING = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is slow on purpose; tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory(username="coordinator")


@pytest.fixture
def other_user(db):
    return UserFactory(username="other")


@pytest.fixture
def logged_in(client, user):
    """The `client`, logged in as a production coordinator."""
    client.force_login(user)
    return client
