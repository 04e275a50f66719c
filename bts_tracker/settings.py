"""BTS Tracker settings: one module, configured through environment variables.

DEBUG, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL are the ones that matter; the
README lists them all, and the ones a deployment behind HTTPS sets.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off", "")


def envbool(name, default):
    """A yes/no variable. A typo ("ture") stops the app instead of meaning "no"."""
    value = os.getenv(name, default).strip().lower()
    if value not in TRUE + FALSE:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a yes/no value: use one of {', '.join(TRUE + FALSE[:-1])}."
        )
    return value in TRUE


def envint(name, default, *, minimum=0):
    """A whole number of at least `minimum`; anything else stops the app."""
    value = os.getenv(name, default).strip()
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number >= {minimum}.")
    return number


def envlist(name, default):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A silent default key in production would make sessions and password
        # reset tokens forgeable, so refuse to start instead.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-local-development-key"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "productions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A view the database fails answers 503, not 500 (see also handler500).
    "productions.middleware.DatabaseUnavailableMiddleware",
    # Compressed answers (BREACH: Django masks the CSRF token anew in every
    # response, and no other secret is echoed from the request into a page).
    "django.middleware.gzip.GZipMiddleware",
    "bts_tracker.middleware.PermissionsPolicyMiddleware",
    # 400 for an unreadable form body or a NUL byte, before anything reads them.
    "bts_tracker.middleware.RejectMalformedRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for a logged-in user are never cached (static files are, by WhiteNoise).
    "bts_tracker.middleware.NoStoreForUsersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every page needs a login unless its view says otherwise (the login view does).
    "productions.middleware.LoginRequiredMiddleware",
    "productions.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: htmx answers carry their messages as toasts.
    "productions.middleware.HtmxMessagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bts_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "productions.access.site_access",
            ],
            # pct5 (progress bar widths) and minutes, in every template.
            "builtins": ["productions.templatetags.ui"],
        },
    },
]

WSGI_APPLICATION = "bts_tracker.wsgi.application"

# SQLite file in the project unless DATABASE_URL points elsewhere (PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections (checked before reuse): a request does not pay
        # for a new connection, and the statements psycopg prepared on it
        # (DB_PREPARE) stay prepared.
        conn_max_age=envint("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
ON_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# The well-known demo logins (load_demo) exist only with DEBUG on the
# embedded SQLite database, never on a deployment.
EMBEDDED_DATABASE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

# PostgreSQL plans a statement each time it is sent, and for the short
# queries a page makes planning costs about as much as running them. With
# DB_PREPARE (on by default) psycopg binds parameters on the server and
# prepares a statement once a connection has sent it DB_PREPARE_THRESHOLD
# times, then only executes it (psycopg's automatic prepare). Behind
# PgBouncer in transaction pooling, where consecutive statements may reach
# different server connections, set DB_PREPARE=off and
# DISABLE_SERVER_SIDE_CURSORS=on.
DB_PREPARE = ON_POSTGRESQL and envbool("DB_PREPARE", "True")
if DB_PREPARE:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=envint("DB_PREPARE_THRESHOLD", "5"),
    )
# Exports read their rows through a server-side cursor (a cursor declared in
# a transaction); a transaction-pooling PgBouncer cannot keep one.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool(
    "DISABLE_SERVER_SIDE_CURSORS", "False"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_work"
LOGOUT_REDIRECT_URL = "login"

# django-axes counts failed logins (the app's and the admin's): after
# AXES_FAILURE_LIMIT failures for one username, or from one address, logins
# for it are refused for AXES_COOLOFF_MINUTES, then allowed again.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5", minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15", minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "bts_tracker.middleware.client_ip"
AXES_USERNAME_CALLABLE = "bts_tracker.middleware.attempted_username"

# Sessions last SESSION_COOKIE_AGE seconds (two weeks) from the last login.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(14 * 24 * 60 * 60), minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", "False")

# A bulk change posts one field per checked item, up to 1,000 of them (the
# service's limit says so with a message); Django's default of 1,000 fields
# would answer a bare 400 first.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Invitations and password resets. With DEBUG, mail is printed to the console;
# otherwise it goes out by SMTP. (Django 6.1's MAILERS replaces the EMAIL_*
# settings; the environment variables keep their familiar names.)
if DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.getenv("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", "587", minimum=1),
                "username": os.getenv("EMAIL_HOST_USER", ""),
                "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", "True"),
                "timeout": 10,
            },
        }
    }
# Background tasks (Django's Tasks framework): password reset mails go out
# from a worker, `python manage.py db_worker` (`make run` starts one beside
# the server; a deployment runs it as a second process). The queue is a table
# in the app's own database (django-tasks-db), with or without Redis: the
# maintained RQ backend (django-tasks-rq 0.12) is built on the django-tasks
# backport and needs it, django-rq, rq and rq-scheduler besides.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "BTS Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; local DEBUG serving
        # reads the source folders directly instead.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Raise on a relation a page reads without loading it (views opt in per query).
STRICT_FETCHING = envbool("STRICT_FETCHING", str(DEBUG))

# The cache: this process's memory by default; with REDIS_URL (e.g.
# redis://127.0.0.1:6379/0) a Redis server that every app server shares.
REDIS_URL = os.getenv("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    # Cached stage cards and My work groups are one entry each: Django's
    # default of 300 entries would evict a busy office's pages in minutes.
    # One process's memory is not shared: with several app servers (or
    # gunicorn workers) set REDIS_URL, or a rename can show late elsewhere.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", "20000", minimum=1)},
        }
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Everything is served from this origin: vendored Bootstrap and htmx, no CDN.
# Bootstrap's CSS uses data: SVGs for form controls, the one relaxation below.
# No inline styles: progress bars take their width from a class (app.css).
# Django's debug pages (DEBUG only) go out without this policy (csp_override),
# so they work. django-htmx's DEBUG helper swaps the debug page for a failed
# htmx request into the current page, where the policy still applies: it shows
# unstyled and its scripts do not run. Open the request's URL instead.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    # Markup that got into a page can neither move relative URLs elsewhere
    # (<base>) nor embed plugins (issue 14).
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Browser features no page uses (Django has no setting for this header).
PERMISSIONS_POLICY = os.getenv(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)

# HTTPS: all off by default (local HTTP); a deployment sets them (see README).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
# A load balancer probes /health/ over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "False")
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "False")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "False")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
BEHIND_HTTPS_PROXY = envbool("BEHIND_HTTPS_PROXY", "False")
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One line per event: a 403 or 404 without its traceback (log_filters.py), a
# database outage as one line (productions/middleware.py), and Django's
# records printed once (its own console handler, under DEBUG, printed every
# record a second time after the root's).
LOG_LEVEL = os.getenv("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_403_404": {"()": "bts_tracker.log_filters.OneLineFor403And404"},
        "skip_server_403_404": {"()": "bts_tracker.log_filters.SkipServerLineFor403And404"},
    },
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"filters": ["one_line_403_404"]},
        "django.server": {
            "handlers": ["server"],
            "filters": ["skip_server_403_404"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
