"""Settings for Modhall: one file, driven by the environment.

With no environment at all the portal runs on a laptop: an SQLite file, Celery tasks run
inline, mail printed to the console. Production differs only by environment variables (see
README.md); a production start without DJANGO_SECRET_KEY fails loudly instead of running
with a guessable key.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # the laptop's SQLite file and cache live here (git-ignored)

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# With DEBUG on, a missing page still shows the site's own 404 (portal/core/not_found.py);
# =true brings back Django's technical one.
DEBUG_TECHNICAL_404 = env.bool("DJANGO_DEBUG_TECHNICAL_404", default=False)

# A missing key is harmless on a laptop (DEBUG) and fatal in production, where a known key
# would let anyone forge sessions and password-reset links.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    SECRET_KEY = "insecure-laptop-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public address used in emails (absolute links); no trailing slash.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Modhall"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.syndication",
    "django.contrib.humanize",
    # WhiteNoise serves static files in development too, exactly as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.twitch",
    "allauth.mfa",
    "allauth.usersessions",
    "portal.core",
    "portal.accounts",
    # Twitch beyond the login (verified moderation histories); below the board and teams,
    # which show and use it.
    "portal.twitch",
    "portal.guides",
    "portal.board",
    "portal.forums",
    "portal.teams",
    "portal.mentors",
    "portal.digests",
    "portal.home",
    "portal.search",
    "portal.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refused before anything else reads them: an address with a control character (400) and
    # a method no page accepts (405). Before the session and CSRF checks, so they cost no query.
    "portal.core.addresses.RefuseImpossibleAddressesMiddleware",
    "portal.core.http_methods.AcceptedMethodsMiddleware",
    # ETags on pages, and 304s to a matching If-None-Match (anonymous pages' ETag is computed
    # once, when portal/core/anonymous_cache.py keeps the page).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.core.not_found.StyledNotFoundMiddleware",  # the site's 404 page with DEBUG on too
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # request.htmx: a form sent by htmx (static/js/htmx.min.js) is answered with the part of
    # the page that changed; the same form sent without JavaScript still gets its redirect.
    "django_htmx.middleware.HtmxMiddleware",
    "portal.core.htmx.HtmxRedirectsMiddleware",
    # Notes when each signed-in session was last used, at most every few minutes, and keeps
    # site staff and forum moderators out of their tools until they have a second factor.
    "portal.accounts.middleware.SessionLastSeenMiddleware",
    "portal.accounts.middleware.SecondFactorForToolsMiddleware",
    # Innermost, so the security headers above are added to cached pages too.
    "portal.core.anonymous_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.core.context_processors.site",
                "portal.forums.context_processors.notifications",
                "portal.review.context_processors.review",
                "portal.accounts.theme.theme",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL=postgres://user:pass@host:5432/name in production and CI; an SQLite file on a
# laptop. Persistent connections with health checks survive a PostgreSQL restart: a dead
# connection is noticed at the start of the next request and replaced.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'modhall.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES and env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    # Server-side binding lets psycopg prepare a statement after its fifth run on a
    # connection, so PostgreSQL plans it once rather than on every request: the topic page's
    # reading query took 0.35 ms to plan and 0.15 ms to run. Off (=false) behind a
    # transaction-mode connection pooler, which cannot keep a connection's prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )

# --- Cache ----------------------------------------------------------------------------------
# allauth's rate limits (sign-in, sign-up, password reset) need a cache shared by every
# process: Redis in production (CACHE_URL=redis://…), a file cache on a laptop. Never the
# per-process local memory cache, which would let each gunicorn worker count separately. (The
# portal's own limits count rows in the database instead: portal/core/limits.py.)
CACHES = {
    "default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
    # Rendered fragments of pages ({% cache … using="fragments" %}). Their keys hold the
    # versions of the rows they show, so a stale entry can never match: that makes a cache in
    # each process's own memory correct, and a hit costs no network round trip. Each process
    # warms its own; the least recently used third is dropped when it is full.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Pages keep serving while Redis is down: the cache then misses instead of failing.
    CACHES["default"]["BACKEND"] = "portal.core.cache.ResilientRedisCache"

# Sessions are read from the cache and written through to the database: a signed-in page
# saves the session query, and a cache that is down or flushed only costs that query back
# (the resilient cache misses), never a sign-out. The cached copy lives five minutes at most,
# so a sign-out whose cache delete failed during an outage cannot outlive it for long
# (portal/core/sessions.py).
SESSION_ENGINE = "portal.core.sessions"

# --- Celery ---------------------------------------------------------------------------------
# With no broker, tasks run inline (eagerly) in the web process: the laptop default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Time limits and the visibility timeout are chosen together. With acks_late a task stays
# unacknowledged on Redis while it waits in a worker's prefetch and while it runs; a task taken
# by a worker that vanished (killed, its machine lost) is handed out again once the visibility
# timeout passes. So the timeout must exceed the longest a message can be held by a live
# worker, or a slow task would be handed to a second worker while the first still runs: with
# a prefetch of one, one task ahead of it plus its own run, two hard limits (300 s). Nothing
# waits on the broker with a countdown: the waits between an email's tries live in the outbox
# (portal/core/outbox.py). A digest chunk of 50 people takes seconds and each email a mail
# server has 20 s to answer, so two minutes is ample; past the soft limit an email task keeps
# its email for a later try (portal/core/mail.py). A killed worker's chunk therefore comes back
# within about eight minutes (6, plus Redis's sweep for expired messages every 100 s or so)
# instead of after half an hour.
# tests/core/test_celery.py holds these invariants for every registered task.
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 150
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 360,
    # A Redis that hangs must not hold a request that enqueues a task: after half a second
    # without an answer the publish fails and the task waits in the outbox
    # (portal/core/outbox.py). A live Redis answers in well under a millisecond. The worker
    # reads its queues only when the poller says a reply is there, so this never cuts a
    # waiting BRPOP short.
    "socket_timeout": 0.5,
    "socket_connect_timeout": 0.5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Email goes through its own queue so a burst of digests never delays interactive work.
CELERY_TASK_ROUTES = {
    "portal.*.tasks.send_*": {"queue": "email"},
    "portal.digests.tasks.*": {"queue": "email"},
}
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker (and beat) keeps reconnecting for as long as Redis is away, every 30 s at most;
# Celery's default gives up after 100 tries, about a quarter of an hour, and the worker exits.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A request that enqueues a task while the broker is down gives up quickly and leaves the task
# in the outbox (portal/core/outbox.py) instead of holding the person's page.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Two tries (a pooled connection may be stale after a restart): against a hung broker a
# page waits about two seconds at most.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL=smtp+tls://user:password@smtp.example.com:587 in production; the console here.
_email = env.email_url("EMAIL_URL", default="consolemail://")
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": _email.get("EMAIL_HOST", ""),
        "port": _email.get("EMAIL_PORT") or 25,
        "username": _email.get("EMAIL_HOST_USER", ""),
        "password": _email.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": bool(_email.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        "timeout": 20,
    }
elif _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # EMAIL_URL=filemail:// writes each message to a file in EMAIL_FILE_PATH (fault tests).
    _mail_options = {"file_path": env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Modhall <hello@modhall.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is emailed about errors (a 500, the database not answering): comma-separated addresses,
# each optionally with a name, "Night Ops <ops@modhall.example>,dana@modhall.example".
ADMINS = env.list("ADMINS", default=[])

# --- Accounts (django-allauth) --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
SITE_ID = 1
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "portal.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "portal.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "portal.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
# The username is the public handle in profile URLs; the email address stays private.
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # one address per person, changed by verifying the new one
# Mandatory in production; a laptop may skip it to try the portal quickly (the link is still
# printed to the console).
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Modhall] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/h/ip,5/h/key",
}
# allauth emails the person when their password, email address or second factors change
# (the emails go out after commit: AccountAdapter.send_mail).
ACCOUNT_EMAIL_NOTIFICATIONS = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never link accounts by an unverified address
SOCIALACCOUNT_STORE_TOKENS = False  # the login is all we need from Twitch

# Two-factor login (allauth.mfa): an authenticator app, recovery codes, and passkeys or
# security keys, which can also sign a person in on their own. Site staff and forum
# moderators must have one before they use their tools (portal/accounts/second_factor.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
MFA_ADAPTER = "portal.accounts.adapters.MFAAdapter"
# Browsers treat http://localhost as secure for WebAuthn; fido2 is told so on a laptop only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The sessions page (allauth.usersessions) shows when each session was last used; the
# portal's own middleware notes it at most every SESSION_LAST_SEEN_EVERY seconds, since
# allauth's USERSESSIONS_TRACK_ACTIVITY would write a row on every request.
USERSESSIONS_TRACK_ACTIVITY = False
SESSION_LAST_SEEN_EVERY = 10 * 60
# The pages that act with power over other people (names as the URL resolver knows them; a
# bare namespace covers all its pages). Whoever holds that power (staff, superusers, the
# groups below) must have a second factor to open them.
SECOND_FACTOR_TOOLS = [
    "admin",
    "board:reports",
    "board:report_dismiss",
    "board:opening_remove",
    "forums:queue",
    "forums:flag_act",
    "forums:moderation_log",
    "forums:person_moderate",
    "forums:suspension_lift",
    "forums:topic_moderate",
    "forums:post_moderate",
    "forums:holding_rules",
    "review:tools",
    "forums:hold_levels",
    "forums:filter_term_edit",
    "forums:filter_term_remove",
    "guides:feedback_review",
    "failed_emails",
    "failed_email_send",
    "mentors:staff_requests",
]
SECOND_FACTOR_GROUPS = ["Forum moderators"]

# "Log in with Twitch" is offered only when the keys are set.
TWITCH_CLIENT_ID = env.str("TWITCH_CLIENT_ID", default="")
TWITCH_CLIENT_SECRET = env.str("TWITCH_CLIENT_SECRET", default="")
TWITCH_LOGIN_ENABLED = bool(TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET)
# Where Twitch answers: its OAuth server (id.twitch.tv) and its Helix API. Changed only to
# point at the stand-in Twitch of the tests and of a laptop (tests/twitch_stand_in.py); a
# production site leaves them alone and talks to Twitch.
TWITCH_AUTH_URL = env.str("TWITCH_AUTH_URL", default="https://id.twitch.tv").rstrip("/")
TWITCH_API_URL = env.str("TWITCH_API_URL", default="https://api.twitch.tv/helix").rstrip("/")
# Seconds Modhall waits for any one answer from Twitch (connecting and reading each); a slow
# Twitch fails that try, and the task tries again later (portal/twitch/tasks.py).
TWITCH_TIMEOUT = env.float("TWITCH_TIMEOUT", default=5.0)
SOCIALACCOUNT_PROVIDERS = {
    "twitch": {
        "SCOPE": ["user:read:email"],
        "APPS": (
            [{"client_id": TWITCH_CLIENT_ID, "secret": TWITCH_CLIENT_SECRET, "key": ""}]
            if TWITCH_LOGIN_ENABLED
            else []
        ),
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# The site's own English (locale/en): allauth's headings in sentence case, like every page.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
# People's avatars (portal/accounts/avatars.py), written through the default storage. On a
# laptop Django serves them (portal/urls.py, DEBUG only); in production MEDIA_ROOT is a volume
# every web server mounts (or the default storage is an object store) and the front web
# server serves MEDIA_URL: see the README.
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Data exports (portal/accounts/leaving/exports.py): never served as static or media
    # files, only through the view that checks whose they are.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("EXPORTS_DIR", default=str(VAR_DIR / "exports"))},
    },
    "staticfiles": {
        # Hashed, compressed files in production (collectstatic in the release step); plain
        # files on a laptop and in tests, which never run collectstatic.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------------
# Strict CSP: only our own scripts, styles and images; no inline script or style at all.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Twitch's sign-in page (or the stand-in's) is reached by submitting a form here.
    "form-action": [CSP.SELF, TWITCH_AUTH_URL],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Errors by email to ADMINS. Django's own "django" logger already sends 500s to its
        # mail_admins handler; this one is for the portal's loggers that name it.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The database not answering (portal/core/database_away.py), told at most every
        # ten minutes per process.
        "portal.outage": {"handlers": ["console", "mail_admins"], "propagate": False},
    },
}

# --- Portal ---------------------------------------------------------------------------------
# Hosts a team's Discord webhook may be on (portal/teams/discord.py). For tests only, a
# loopback host such as 127.0.0.1 may be added to reach a stand-in server over plain http.
DISCORD_WEBHOOK_HOSTS = env.list(
    "DISCORD_WEBHOOK_HOSTS", default=["discord.com", "discordapp.com", "canary.discord.com"]
)
# Anonymous visitors get whole pages kept for a minute (portal/core/anonymous_cache.py).
ANONYMOUS_PAGE_CACHE = env.bool("ANONYMOUS_PAGE_CACHE", default=True)
# The largest Markdown text a person may submit (characters); see portal/markup.py.
MARKDOWN_MAX_LENGTH = 40_000
