"""The logged-in user of a request, read in a query that also reads something else.

django.contrib.auth.get_user() reads the session's user in a query of its
own. The live-update poll, which open pages send every 5 seconds, needs one
more row (the production's live version) and reads the user in that same
query. `user_from_session()` checks the login the way get_user() does: the
session's backend must still be configured, the user active, and the
session's auth hash must match the user's password (or one made with a key in
SECRET_KEY_FALLBACKS, which moves the session to the current key); a session
that fails is flushed. It then sets request.user, so nothing reads it again.
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare


def user_from_session(request, fetch):
    """request.user, read by `fetch(user_id)` (the user row, or None, with
    whatever else it read on it): the user, or AnonymousUser without a valid
    login. None if the session's backend is not a ModelBackend: the caller
    then uses request.user (and its query) as usual."""
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(request.session[auth.SESSION_KEY])
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return _set(request, None)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return _set(request, None)
    backend = auth.load_backend(backend_path)
    if not isinstance(backend, ModelBackend):
        return None
    user = fetch(user_id)
    if user is None or not backend.user_can_authenticate(user):
        return _set(request, None)
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        return _set(request, user)
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
        return _set(request, user)
    request.session.flush()
    return _set(request, None)


def _set(request, user):
    request.user = user or AnonymousUser()
    return request.user
