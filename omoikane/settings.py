"""Omoikane's one settings module. Every value comes from the environment through a strict reader.

The development profile (the default) needs nothing set: SQLite and files in var/, email written to
var/mail/. The production profile refuses to start without the secrets and turns on every transport
protection; `manage.py check --deploy` must be silent under it (a test runs it).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from omoikane.db import check_multi_host
from omoikane.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_optional_str,
    env_str,
)
from omoikane.storage import S3Connection, filesystem_storages, s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

PROFILE = env_choice("OMOIKANE_PROFILE", "development", ["development", "production"])
PRODUCTION = PROFILE == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _development_secret_key() -> str:
    """A random key kept in var/, so development sessions survive restarts without a shared default."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = (
    env_str("SECRET_KEY", required=True)
    if PRODUCTION
    else (env_optional_str("SECRET_KEY") or _development_secret_key())
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS is required in the production profile.")
# The public address of the site, used where a page must name itself (security.txt's Canonical, emails).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The product's name as emails say it ("Hello from Omoikane!"); without it allauth names the request's host.
SITE_NAME = env_str("SITE_NAME", "Omoikane")

INSTALLED_APPS = [
    # Ours first, so our templates override the ones of allauth and Django.
    "omoikane",
    "accounts",
    "privacy_kernel",
    "privacy_rights",
    "pages",
    "materials",
    "applications",
    "diary",
    "calendars",
    "coach",
    "billing",
    "ops.admin_apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Static files go through the middleware in development too (runserver's own handler skips them, so
    # they lacked nosniff); WhiteNoise serves them from the apps' folders there.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks_db",
    # Last: its admin module takes third-party models holding user data off the operator site.
    "ops",
]

MIDDLEWARE = [
    # First, so that it sees every response, error pages made inside other middleware included.
    "omoikane.middleware.SecurityHeadersMiddleware",
    # Next: the scheme and the client address must be settled before anything else reads them.
    "omoikane.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check: it reads an upload's body itself, so that what cannot be read is a message on
    # the form rather than the generic "Bad request" page (omoikane/uploads.py).
    "omoikane.uploads.UploadGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # allauth's session tracking, writing "last seen" at most once a minute per session.
    "accounts.middleware.UserSessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "omoikane.middleware.PermissionsPolicyMiddleware",
    # A lost database (failover) answers 503 with what happened to the user's change.
    "omoikane.middleware.DatabaseUnavailableMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "omoikane.urls"
WSGI_APPLICATION = "omoikane.wsgi.application"
ASGI_APPLICATION = "omoikane.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------
# SQLite in var/ by default; DATABASE_URL switches to PostgreSQL or YugabyteDB (YSQL speaks PostgreSQL).
DATABASES = {
    "default": environ.Env.db_url_config(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'omoikane.sqlite3'}")
    ),
    # The LLM trace store (what was sent to a language model and what came back) lives apart from
    # everything else, so it can sit on its own disk, keep its own shorter retention and be wiped alone.
    # coach/routers.py sends the trace model here and nothing else.
    # Production names it explicitly (a PostgreSQL database of its own): pointing it at the main
    # database's URL would share one migration history between the two aliases and skip its table.
    "traces": environ.Env.db_url_config(
        env_str("TRACES_DATABASE_URL", required=True)
        if PRODUCTION
        else env_str("TRACES_DATABASE_URL", f"sqlite:///{VAR_DIR / 'traces.sqlite3'}")
    ),
}
DATABASE_ROUTERS = ["coach.routers.TraceRouter"]


def _tune_database(db: dict[str, Any]) -> None:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["OPTIONS"] = {
            # WAL and IMMEDIATE let the web server and the worker write to one file without "database is
            # locked".
            # secure_delete zeroes a deleted row's bytes in the file at once (erasure: privacy_rights/scrub.py
            # then truncates the WAL that still holds the older frames).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA secure_delete=ON;",
            "transaction_mode": "IMMEDIATE",
        }
    elif db["ENGINE"] == "django.db.backends.postgresql":
        db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
        db["CONN_HEALTH_CHECKS"] = True
        options = db.setdefault("OPTIONS", {})
        sslmode = env_optional_str("DATABASE_SSLMODE")
        if sslmode:
            options["sslmode"] = sslmode
        sslrootcert = env_optional_str("DATABASE_SSLROOTCERT")
        if sslrootcert:
            options["sslrootcert"] = sslrootcert
        if PRODUCTION:
            # The database is on other hosts: the app must verify whom it talks to, not just encrypt.
            options.setdefault("sslmode", "verify-full")


for _db in DATABASES.values():
    _tune_database(_db)

# --- Replicated database: several hosts, failover ---------------------------------------------------------
# A URL may name several hosts (postgres://u@db1:5432,db2:5432,db3:5432/omoikane): the Patroni cluster or
# YugabyteDB's tablet servers. libpq then connects to the first writable one (target_session_attrs is set
# to read-write when the URL does not say). A write whose connection drops before its commit runs again on
# a new connection for up to this many seconds (privacy_kernel/writes.py); a failover takes about 10.
for _alias, _db in DATABASES.items():
    if _db["ENGINE"] == "django.db.backends.postgresql":
        check_multi_host(_db, source="TRACES_DATABASE_URL" if _alias == "traces" else "DATABASE_URL")
DATABASE_FAILOVER_WAIT_SECONDS = env_int("DATABASE_FAILOVER_WAIT_SECONDS", 20, minimum=0)

# 64-bit keys from the first migration: YugabyteDB and PostgreSQL never run out, and no code may assume
# that ids are dense or ordered (YugabyteDB caches sequence ranges per node).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database cache: shared by the web server and the worker (rate limits must hold across processes) and
# it needs no extra service.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "omoikane_cache",
    }
}

# --- Tasks ----------------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth -----------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 12, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.MaximumLengthValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pages:start"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Omoikane: "
ACCOUNT_RATE_LIMITS = {
    # Failed logins per account and per address; the window resets after a quiet period.
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "5/5m/key,20/5m/ip"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
USERSESSIONS_ADAPTER = "accounts.adapter.UserSessionsAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Omoikane"
# Passkeys need a secure origin; http://127.0.0.1 is only accepted while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = True

# Staff reach the operator pages at a non-default path; it is no secret, only less noisy.
ADMIN_PATH = env_str("ADMIN_PATH", "operator/").strip("/") + "/"

# --- Email ----------------------------------------------------------------------------------------------
_email_url = env_optional_str("EMAIL_URL")
if _email_url:
    # smtp+tls://user:password@host:587 (STARTTLS) or smtp+ssl://user:password@host:465 (implicit TLS).
    _email = environ.Env.email_url_config(_email_url)
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _email.get("EMAIL_HOST", ""),
                "port": _email.get("EMAIL_PORT") or 25,
                "username": _email.get("EMAIL_HOST_USER", ""),
                "password": _email.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": bool(_email.get("EMAIL_USE_TLS", False)),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL", False)),
                "timeout": 20,
            },
        }
    }
else:
    # Development: every email is a file in var/mail/, readable with any text editor.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Omoikane <noreply@omoikane.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECURITY_CONTACT = env_str("SECURITY_CONTACT", "security@omoikane.example")

# --- Languages ------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("nl", _("Dutch")),
    ("nb", _("Norwegian Bokmål")),
    ("de", _("German")),
    ("el", _("Greek")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"

# --- Static and uploaded files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Each user's warm search index, one file per user (coach/warm_index.py): a cache, rebuilt when missing.
WARM_INDEX_DIR = VAR_DIR / "indexes"
# Outside production, static files are served straight from the apps, so a change shows without collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded files (CVs, letters, generated PDFs) go to "default"; audit archives and export zips to "archive",
# kept apart. Both are private: no URL serves them, only our own views. STORAGE_BACKEND=s3 moves both to
# S3-compatible object storage (SeaweedFS or MinIO in the EEA), a bucket each; omoikane/tests/test_storage.py
# runs this same configuration against a real SeaweedFS.
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", "filesystem", ["filesystem", "s3"])
if STORAGE_BACKEND == "s3":
    _file_storages = s3_storages(
        S3Connection(
            endpoint_url=env_str("S3_ENDPOINT_URL", required=True),
            region=env_str("S3_REGION", "eu-central-1"),
            access_key_id=env_str("S3_ACCESS_KEY_ID", required=True),
            secret_access_key=env_str("S3_SECRET_ACCESS_KEY", required=True),
            ca_bundle=env_optional_str("S3_CA_BUNDLE"),
            require_tls=PRODUCTION,
        ),
        bucket=env_str("S3_BUCKET", required=True),
        archive_bucket=env_str("S3_ARCHIVE_BUCKET", required=True),
    )
else:
    _file_storages = filesystem_storages(archive_root=VAR_DIR / "archive")
STORAGES = {
    **_file_storages,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Uploads --------------------------------------------------------------------------------------------
MATERIAL_MAX_BYTES = env_int("MATERIAL_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
MATERIALS_QUOTA_BYTES = env_int("MATERIALS_QUOTA_BYTES", 100 * 1024 * 1024, minimum=1024)
MATERIAL_MAX_PASTE_CHARS = 200_000
# Form posts carry pasted text; files are bounded separately, by the upload view and form (materials/views.py,
# materials/forms.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Applications ---------------------------------------------------------------------------------------
# Days after sending with no reply before a follow-up is due; each application can change its own date.
FOLLOW_UP_AFTER_DAYS = env_int("FOLLOW_UP_AFTER_DAYS", 7, minimum=1, maximum=90)
POSTING_MAX_CHARS = 100_000
# Letter drafts a user may ask for in 24 hours: each is a paid model call.
DRAFTS_PER_DAY = env_int("DRAFTS_PER_DAY", 20, minimum=1)

# --- Calendars ------------------------------------------------------------------------------------------
# Key that encrypts the calendar passwords users give us (Fernet: 32 url-safe base64 bytes). Its own key, so
# that rotating SECRET_KEY does not lose every calendar connection. Development derives one from SECRET_KEY.
CALENDAR_CREDENTIALS_KEY = (
    env_str("CALENDAR_CREDENTIALS_KEY", required=True)
    if PRODUCTION
    else (env_optional_str("CALENDAR_CREDENTIALS_KEY") or "")
)
# Seconds a calendar server has to answer one sync's request (connect, read and the whole body).
CALENDAR_TIMEOUT_SECONDS = env_int("CALENDAR_TIMEOUT_SECONDS", 15, minimum=1, maximum=120)
# Minutes between background syncs of each connected calendar (the sync_calendars command, run by a timer).
CALENDAR_SYNC_MINUTES = env_int("CALENDAR_SYNC_MINUTES", 30, minimum=5)
# Tests only, never read from the environment: ports on 127.0.0.1 that calendar connections may reach (a
# Radicale server started by the tests). A system check refuses it in production (calendars/checks.py).
CALENDAR_TEST_LOOPBACK_PORTS: list[int] = []

# --- Security -------------------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # allauth draws the TOTP QR code as a data: URI; it is inline data, not another origin.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self)"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    # HAProxy terminates TLS and is the only thing that can reach the app servers.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and for path /.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_NAME = "__Host-language"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Serving behind the edge (deploy/haproxy/, docs/deploy.md) --------------------------------------------
# The HAProxy nodes' addresses. Only a request from one of them may name the client (X-Forwarded-For) and say
# it came over TLS (X-Forwarded-Proto, which SECURE_PROXY_SSL_HEADER reads); from any other peer both headers
# are dropped by omoikane.middleware.TrustedProxyMiddleware, so the audit log records real addresses. In
# production the edge runs on the app host by default (loopback); list the edge nodes when they are apart.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", ["127.0.0.1", "::1"] if PRODUCTION else [])
# Full-disk encryption, checked (omoikane.checks.check_encrypted_volumes, production): VAR_DIR and these paths
# (the database's data directory where it is local, the backup spool) must sit on dm-crypt, unless listed as
# encrypted by other means (a provider-encrypted volume). VOLUME_SYS_ROOT is only ever changed by tests.
VOLUME_CHECK_PATHS = env_list("VOLUME_CHECK_PATHS", [])
VOLUMES_ENCRYPTED_OTHERWISE = env_list("VOLUMES_ENCRYPTED_OTHERWISE", [])
VOLUME_SYS_ROOT = "/sys"

# --- Privacy figures --------------------------------------------------------------------------------------
# The Security & data page reads these same values; the code that enforces them will too.
AUDIT_HOT_DAYS = env_int("AUDIT_HOT_DAYS", 90, minimum=1)
AUDIT_ARCHIVE_MONTHS = env_int("AUDIT_ARCHIVE_MONTHS", 12, minimum=1)
# Audit archives are encrypted with age (privacy_rights/archive.py; README "Audit archive keys"): to these
# public
# keys, whose identities are held offline (required in production; development makes its own in var/), and
# to the server's own key when one is set, so that export can include archived events.
AUDIT_ARCHIVE_RECIPIENT = env_list("AUDIT_ARCHIVE_RECIPIENT", [])
AUDIT_ARCHIVE_SERVER_KEY = env_optional_str("AUDIT_ARCHIVE_SERVER_KEY")
EXPORT_WITHIN_HOURS = env_int("EXPORT_WITHIN_HOURS", 24, minimum=1)
ERASURE_WITHIN_DAYS = env_int("ERASURE_WITHIN_DAYS", 7, minimum=1)
# Synchronous copies of every write promised on the Security page; /healthz and the page compare it with the
# copies the database reports (omoikane/replication.py). Development runs on one SQLite file: one copy.
REPLICATION_FACTOR = env_int("REPLICATION_FACTOR", 3 if PRODUCTION else 1, minimum=1)
DATA_REGION = env_str("DATA_REGION", "EEA (Germany)")
SUPPORT_GRANT_MAX_DAYS = 7
# The shortest support access a user can grant; the settings page offers durations between the two.
SUPPORT_GRANT_MIN_HOURS = 1

# --- Export and erasure ---------------------------------------------------------------------------------
# One export per user in this many hours (an export reads every row and file the user has).
EXPORT_RATE_LIMIT_HOURS = env_int("EXPORT_RATE_LIMIT_HOURS", 24, minimum=1)
# Days a finished export can be downloaded; after that the link answers 410 and the zip is deleted.
EXPORT_LINK_DAYS = env_int("EXPORT_LINK_DAYS", 7, minimum=1, maximum=30)
# Key of the deletion ledger's keyed hashes. Separate from SECRET_KEY: rotating that must not make the ledger
# forget whom it erased. Development derives one from SECRET_KEY.
DELETION_LEDGER_KEY = (
    env_str("DELETION_LEDGER_KEY", required=True)
    if PRODUCTION
    else (env_optional_str("DELETION_LEDGER_KEY") or f"deletion-ledger:{SECRET_KEY}")
)
# A task RUNNING longer than this is taken to belong to a worker that died, and is queued again.
TASK_RECLAIM_AFTER_SECONDS = env_int("TASK_RECLAIM_AFTER_SECONDS", 3600, minimum=60)
# Pause before an export or erasure job that failed runs again (times the attempt number).
PRIVACY_JOB_RETRY_SECONDS = 60
EXPORT_ATTEMPTS = 3

# --- Sub-processors: their live status is read from these --------------------------------------------------
ANTHROPIC_API_KEY = env_optional_str("ANTHROPIC_API_KEY")
STRIPE_SECRET_KEY = env_optional_str("STRIPE_SECRET_KEY")
CLOUDFLARE_DNS = env_bool("CLOUDFLARE_DNS", default=False)

# --- Billing (billing/): plans, Stripe Checkout and portal, webhooks -------------------------------------
# Off without STRIPE_SECRET_KEY: then no plan limits apply and every feature is available (self-hosting).
STRIPE_WEBHOOK_SECRET = env_optional_str("STRIPE_WEBHOOK_SECRET") or ""
# The Stripe price (recurring) of the paid plan, sold through Checkout.
STRIPE_PRICE_PAID = env_optional_str("STRIPE_PRICE_PAID") or ""
# EU VAT computed by Stripe Tax at checkout (needs Stripe Tax set up in the Stripe account).
STRIPE_TAX = env_bool("STRIPE_TAX", default=False)
# How old a webhook's signed timestamp may be before it counts as a replay.
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env_int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300, minimum=1, maximum=3600)
# Another address for Stripe's API (the tests' local server); unset: Stripe's own.
STRIPE_API_BASE = env_optional_str("STRIPE_API_BASE") or ""
# Where Checkout and the customer portal live: the plan page's forms may end there (its CSP form-action).
STRIPE_HOSTED_ORIGINS = env_list(
    "STRIPE_HOSTED_ORIGINS", ["https://checkout.stripe.com", "https://billing.stripe.com"]
)
STRIPE_MAX_NETWORK_RETRIES = env_int("STRIPE_MAX_NETWORK_RETRIES", 2, minimum=0, maximum=10)
BILLING_FREE_DRAFTS_PER_MONTH = env_int("BILLING_FREE_DRAFTS_PER_MONTH", 10, minimum=0)
BILLING_FREE_STORAGE_MB = env_int("BILLING_FREE_STORAGE_MB", 50, minimum=1)
BILLING_PAID_DRAFTS_PER_MONTH = env_int("BILLING_PAID_DRAFTS_PER_MONTH", 200, minimum=1)
BILLING_PAID_STORAGE_MB = env_int("BILLING_PAID_STORAGE_MB", 1000, minimum=1)
if STRIPE_SECRET_KEY and PRODUCTION and not (STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PAID):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "With STRIPE_SECRET_KEY set, set STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PAID too."
    )

# --- Drafting: language-model providers and the trace store ---------------------------------------------
# coach.providers.get_provider() picks Anthropic when ANTHROPIC_API_KEY is set, else a self-hosted
# OpenAI-compatible server when LLM_OPENAI_BASE_URL is set, else the offline drafter (no model at all).
# The newest Sonnet the pinned SDK knows that is not on its deprecation list.
ANTHROPIC_MODEL = env_str("ANTHROPIC_MODEL", "claude-sonnet-5-5")
# An upper bound on what a prompt may ask for; a prompt asking for less gets less.
ANTHROPIC_MAX_TOKENS = env_int("ANTHROPIC_MAX_TOKENS", 4096, minimum=1, maximum=128_000)
ANTHROPIC_TIMEOUT_SECONDS = env_int("ANTHROPIC_TIMEOUT_SECONDS", 120, minimum=1)
# Anthropic's `inference_geo` request field ("global" or "us" at the time of writing; the API has no EU
# value yet). Unset sends nothing, so the workspace's default inference region applies.
ANTHROPIC_INFERENCE_GEO = env_optional_str("ANTHROPIC_INFERENCE_GEO") or ""
# Unset lets the SDK read ANTHROPIC_BASE_URL itself, which ends up the same.
ANTHROPIC_BASE_URL = env_optional_str("ANTHROPIC_BASE_URL")
LLM_OPENAI_BASE_URL = env_optional_str("LLM_OPENAI_BASE_URL")
LLM_OPENAI_MODEL = env_str("LLM_OPENAI_MODEL", required=True) if LLM_OPENAI_BASE_URL else ""
LLM_OPENAI_API_KEY = env_optional_str("LLM_OPENAI_API_KEY")
LLM_OPENAI_MAX_TOKENS = env_int("LLM_OPENAI_MAX_TOKENS", 4096, minimum=1, maximum=128_000)
LLM_OPENAI_TIMEOUT_SECONDS = env_int("LLM_OPENAI_TIMEOUT_SECONDS", 300, minimum=1)
# Retries after a rate limit, an overload, a 5xx, a timeout or a broken connection, with exponential
# backoff (the SDKs' own, which also honours the server's retry-after).
LLM_MAX_RETRIES = env_int("LLM_MAX_RETRIES", 2, minimum=0, maximum=10)
# Traces older than this are deleted by `manage.py purge_traces`.
LLM_TRACE_RETENTION_DAYS = env_int("LLM_TRACE_RETENTION_DAYS", 90, minimum=1)

# --- Logging --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "privacy_kernel.masking.MaskSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # httpx logs every request's URL at INFO; a calendar's ICS address often carries its secret in the path.
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}

# --- Backups, restore drills, secrets and residency (ops/backup/, ops/residency.py) ---------------------
# Backups are age-encrypted to BACKUP_RECIPIENTS (the backup host's key and an offline recovery key) and
# their manifest signed with BACKUP_SIGNING_KEY (Ed25519), so a tampered backup is refused. Unset target:
# no backups (development); /healthz then fails in production. Development makes its keys in var/.
BACKUP_TARGET = env_optional_str("BACKUP_TARGET")
BACKUP_RECIPIENTS = env_list("BACKUP_RECIPIENTS", [])
BACKUP_IDENTITY_FILE = env_optional_str("BACKUP_IDENTITY_FILE")
BACKUP_SIGNING_KEY = env_optional_str("BACKUP_SIGNING_KEY")
BACKUP_S3_ENDPOINT_URL = env_optional_str("BACKUP_S3_ENDPOINT_URL")
BACKUP_S3_REGION = env_str("BACKUP_S3_REGION", "eu-central-1")
BACKUP_S3_ACCESS_KEY_ID = env_optional_str("BACKUP_S3_ACCESS_KEY_ID")
BACKUP_S3_SECRET_ACCESS_KEY = env_optional_str("BACKUP_S3_SECRET_ACCESS_KEY")
BACKUP_KEEP_DAILY_DAYS = env_int("BACKUP_KEEP_DAILY_DAYS", 7, minimum=1)
BACKUP_KEEP_MONTHLY_MONTHS = env_int("BACKUP_KEEP_MONTHLY_MONTHS", 12, minimum=0)
RESTORE_DRILL_MAX_AGE_HOURS = env_int("RESTORE_DRILL_MAX_AGE_HOURS", 48, minimum=1)
# Where data may go: S3-style region names and host-name suffixes in the EEA. The residency check
# (ops/residency.py) holds every database host, S3 endpoint and region, SMTP relay and model region to it.
RESIDENCY_REGIONS = env_list(
    "RESIDENCY_REGIONS",
    ["eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2", "eu"],
)
RESIDENCY_HOST_SUFFIXES = env_list("RESIDENCY_HOST_SUFFIXES", [])
