"""Schakel's one settings module, read from the environment.

Every value comes from an environment variable with a safe default for the
demo. A bad value stops start-up with a message that names the variable, the
way healthchecks' settings do.

SCHAKEL_ENV   demo (default) | production | test
DATA_DIR      folder for the SQLite database, the generated secret key,
              demo passwords, uploads and the e-mail files (default ./data)
DATABASE_URL  postgres://user:pass@host:port/name; empty means SQLite in DATA_DIR
SECRET_KEY    required in production; generated once into DATA_DIR otherwise
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = env(name, "1" if default else "0").lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, not {raw!r}.")
    return value


def env_minutes(name: str, default: str) -> tuple[int, ...]:
    """A comma-separated list of growing whole numbers of minutes, e.g. "1,5,15,60"."""
    raw = env(name, default)
    try:
        values = tuple(int(part) for part in raw.split(","))
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be whole numbers of minutes separated by commas, not {raw!r}.") from None
    if not values or min(values) < 1 or list(values) != sorted(values):
        raise ImproperlyConfigured(f"{name} must be growing numbers of minutes (1 or more), "
                                   f"not {raw!r}.")
    return values


def env_limit(name: str, default: int, *, maximum: int | None = None) -> int:
    """A limit: a whole number of at least 1 (and at most `maximum`)."""
    value = env_int(name, default)
    if value < 1 or (maximum is not None and value > maximum):
        bounds = f"between 1 and {maximum}" if maximum is not None else "at least 1"
        raise ImproperlyConfigured(f"{name} must be {bounds}, not {value}.")
    return value


SCHAKEL_ENV = env("SCHAKEL_ENV", "demo")
if SCHAKEL_ENV not in {"demo", "production", "test"}:
    raise ImproperlyConfigured(
        f"SCHAKEL_ENV must be demo, production or test, not {SCHAKEL_ENV!r}."
    )
PRODUCTION = SCHAKEL_ENV == "production"

DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        if len(key) < 40:
            raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters long.")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when SCHAKEL_ENV=production.")
    # The demo keeps one generated key in the data folder so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

# Keys for encryption at rest (schakel/core/crypto.py): comma-separated Fernet keys,
# the first encrypts. Empty outside production means a key generated into DATA_DIR.
ENCRYPTION_KEYS = [k.strip() for k in env("ENCRYPTION_KEYS").split(",") if k.strip()]
if PRODUCTION and not ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "ENCRYPTION_KEYS is required when SCHAKEL_ENV=production "
        "(generate one with: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())')."
    )
# Keys for keyed hashes (HMAC-SHA256), kept outside the database like the keys above:
# REPORTER_LINK_KEYS link a reporter to their account ("Mijn meldingen"), the first
# writes and all are looked up; AUDIT_CHAIN_KEYS sign the processing log's chain, the
# first signs and the others still verify older records. Each at least 32 characters.
REPORTER_LINK_KEYS = [k.strip() for k in env("REPORTER_LINK_KEYS").split(",") if k.strip()]
AUDIT_CHAIN_KEYS = [k.strip() for k in env("AUDIT_CHAIN_KEYS").split(",") if k.strip()]
for _name, _keys in (("REPORTER_LINK_KEYS", REPORTER_LINK_KEYS),
                     ("AUDIT_CHAIN_KEYS", AUDIT_CHAIN_KEYS)):
    if PRODUCTION and not _keys:
        raise ImproperlyConfigured(
            f"{_name} is required when SCHAKEL_ENV=production "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    if any(len(k) < 32 for k in _keys):
        raise ImproperlyConfigured(f"{_name} must be at least 32 characters per key.")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
# The address of this installation as users reach it, for links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Our apps first: where two catalogues translate the same English text, the
# earlier app wins, and "Close" must read "Afsluiten" here, not the admin's "Sluiten".
INSTALLED_APPS = [
    "schakel.core",
    "schakel.accounts",
    "schakel.audit",
    "schakel.signals",
    "schakel.subjects",
    "schakel.partners",
    "schakel.plan",
    "schakel.privacy",
    "schakel.reports",
    "schakel.ops",
    "schakel.api",
    "schakel.region",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "schakel.accounts.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "schakel.core.middleware.NoStoreMiddleware",  # after WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "schakel.audit.log.TraceMiddleware",
    "schakel.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "schakel.accounts.middleware.SessionIdleMiddleware",  # after auth, inside sessions
    "schakel.core.middleware.DatabaseBusyMiddleware",
    "schakel.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "schakel.urls"
WSGI_APPLICATION = "schakel.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "schakel" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "schakel.core.context_processors.municipality",
            ],
            "builtins": ["schakel.core.templatetags.dates"],
        },
    },
]
# Django's widget templates written out in Python (same HTML; core/renderer.py).
FORM_RENDERER = "schakel.core.renderer.FormRenderer"


def _database() -> dict:
    url = env("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "schakel.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue instead of failing midway.
                # secure_delete overwrites freed pages, so destroyed data is really gone.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                "PRAGMA secure_delete=ON;",
                "transaction_mode": "IMMEDIATE",
                # How long a write waits for another writer's lock before the page says
                # "busy, try again" (503); reads never wait (WAL). Below gunicorn's 60 s.
                "timeout": env_int("SQLITE_BUSY_TIMEOUT", 15),
            },
            # A file, not shared-cache memory: tests with two connections then lock
            # the way production does (shared cache fails at once with "table is locked").
            "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
            # Each request thread keeps its connection for a minute, as on PostgreSQL.
            # Opening one per request cost more than the filing's own inserts: the last
            # connection to close also checkpoints and removes the write-ahead log
            # (one worker, one client: 18.6 against 11.8 ms CPU per filed signal).
            "CONN_MAX_AGE": 60,
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several kinds
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid database address ({exc.__class__.__name__})."
        ) from None
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must be a PostgreSQL address (postgres://…); "
            "leave it empty for the embedded SQLite database."
        )
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # The parameters travel apart from the SQL (server-side binding), so psycopg
        # prepares a statement once a connection has run it five times: PostgreSQL plans
        # a page's repeated queries once per connection, not on every request. Off for a
        # connection pooler that cannot keep prepared statements.
        config.setdefault("OPTIONS", {}).update(server_side_binding=True,
                                                prepare_threshold=5)
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The processing log's chain (audit/sequencer.py). On PostgreSQL a record is inserted
# unchained and chained right after commit, by whoever finds the chain head free, so
# readers never queue on it; SQLite has one writer at a time anyway and chains inside the
# writing transaction. Tests chain inline unless a test asks otherwise. A record still
# unchained after AUDIT_CHAIN_MAX_DELAY seconds is an error for `audit_verify`.
AUDIT_CHAIN_AFTER_COMMIT = env_bool(
    "AUDIT_CHAIN_AFTER_COMMIT",
    DATABASES["default"]["ENGINE"].endswith("postgresql") and SCHAKEL_ENV != "test")
AUDIT_CHAIN_MAX_DELAY = env_int("AUDIT_CHAIN_MAX_DELAY", 300)
# The web server (scripts/gunicorn.conf.py) chains after commit in one thread per process,
# off the requests; commands and the task worker chain on the spot.
AUDIT_CHAIN_IN_THREAD = AUDIT_CHAIN_AFTER_COMMIT and env_bool("AUDIT_CHAIN_IN_THREAD", False)
# How long that thread lets commits gather before a round (milliseconds).
AUDIT_CHAIN_GATHER_MS = env_int("AUDIT_CHAIN_GATHER_MS", 50)
# The officers' e-mail about new signals (signals/notifications.py): in the web server
# one thread per process sends it after the filing's commit, for the filings of
# NOTICE_GATHER_MS together; elsewhere it is sent on the spot.
NOTICES_IN_THREAD = env_bool("NOTICES_IN_THREAD", False)
NOTICE_GATHER_MS = env_int("NOTICE_GATHER_MS", 500)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "schakel" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": DATA_DIR / "uploads"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if SCHAKEL_ENV != "test"
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = SCHAKEL_ENV == "test"

# E-mail: files in the demo (readable in DATA_DIR/mail), SMTP in production.
if env("EMAIL_HOST") or PRODUCTION:
    MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env("EMAIL_HOST_USER"),
            "password": env("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 20,
        },
    }}
else:
    MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
    }}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "schakel@gemeente.invalid")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed background job is planned again this many times a day (core/taskwatch.py).
TASK_RETRY_ATTEMPTS = env_int("TASK_RETRY_ATTEMPTS", 3)

# Security headers. Django's own CSP: nothing inline, everything from here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Not on every request (a read then needs SQLite's write lock): SessionIdleMiddleware
# refreshes the idle stamp at most once a minute, which keeps the age above an
# inactivity timeout.
SESSION_SAVE_EVERY_REQUEST = False
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []

CSRF_FAILURE_VIEW = "schakel.accounts.views.csrf_failure"

# Login: password, then a second factor (TOTP or a recovery code) for the roles
# that need it (accounts/middleware.py); lockout by django-axes; optional OIDC.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Counted per account and address, per account, and per address alone, each with its
# own limit (accounts/lockout.py): a town hall's shared address is not blocked because
# one person mistyped.
AXES_HANDLER = "schakel.accounts.lockout.OfficeLockoutHandler"
AXES_FAILURE_LIMIT = max(env_int("LOGIN_FAILURE_LIMIT", 5), 1)  # per account and address
LOGIN_ACCOUNT_FAILURE_LIMIT = max(env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 10), 1)
LOGIN_ADDRESS_FAILURE_LIMIT = max(env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 100), 1)
# A partner's feedback link: failed look-ups per address and hour before that address
# gets "too many attempts" for unknown tokens (a valid token always works).
LINK_GUESS_LIMIT = max(env_int("LINK_GUESS_LIMIT", 10), 1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "schakel.accounts.views.axes_client_str"  # pseudonyms in the log
if env_int("PROXY_COUNT", 0):  # behind a reverse proxy: the client is in X-Forwarded-For
    AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
OTP_TOTP_ISSUER = f"Schakel {env('MUNICIPALITY_NAME', 'Montfoort')}"
# Single sign-on through OpenID Connect, off unless OIDC_RP_CLIENT_ID is set.
OIDC_ENABLED = bool(env("OIDC_RP_CLIENT_ID"))
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_OP_DISCOVERY_URL = env("OIDC_OP_DISCOVERY_URL")  # …/.well-known/openid-configuration
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", "groups")
# role=group,role=group: e.g. "officer=GG-Mensenhandel,employee=GG-Medewerkers"
OIDC_ROLE_GROUPS = env("OIDC_ROLE_GROUPS")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/inloggen/?sso=mislukt"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("schakel.accounts.oidc.Backend")

# The processing log, as a hook: accounts (a floor below audit) writes role changes
# through it without importing the audit app.
PROCESSING_LOG = "schakel.audit.log.log_processing"

def env_rate(name: str, default: str) -> str:
    raw = env(name, default)
    number, _sep, period = raw.partition("/")
    if not number.isdigit() or period not in ("second", "minute", "hour", "day"):
        raise ImproperlyConfigured(f"{name} must read like 600/minute, not {raw!r}.")
    return raw


# The REST API under /api/v1/ (schakel/api): session or personal/system token, problem
# details for every error, rate limits per token and per address (README, "API").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "schakel.api.auth.TokenAuthentication",
        "schakel.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["schakel.api.permissions.TokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "schakel.api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["schakel.api.throttles.PerToken",
                                 "schakel.api.throttles.PerAddress"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_rate("API_RATE_PER_TOKEN", "600/minute"),
        "address": env_rate("API_RATE_PER_ADDRESS", "1200/minute"),
    },
    "NUM_PROXIES": env_int("PROXY_COUNT", 0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Schakel API",
    "DESCRIPTION": (
        "De API van Schakel, onder dezelfde regels als de pagina's. / The Schakel API, under "
        "the same rules as the pages. Authentication: the browser session, or "
        "`Authorization: Bearer <token>` with a token from Mijn account. Errors are problem "
        "details (RFC 9457) in Dutch, or English with `Accept-Language: en`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several fields are called "kind": name each set of choices after what it is.
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "schakel.plan.models.MeetingKind",
        "ControlKindEnum": "schakel.plan.models.ControlKind",
        "SubjectKindEnum": "schakel.signals.models.SubjectKind",
        "MatchKindEnum": ["person", "organisation", "address"],
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "schakel.api.schema.add_problem_responses"],
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Whole request bodies (uploads included) above this are refused with a Dutch 413.
MAX_REQUEST_BODY_SIZE = env_int("MAX_REQUEST_BODY_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Logging: never personal data. Messages carry references and ids only.
# LOG_FORMAT=json writes one JSON object per line with the request id (ops/logformat.py).
LOG_FORMAT = env("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "schakel.ops.logformat.JsonFormatter"}},
    "filters": {"scrub": {"()": "schakel.core.logging.ScrubFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["scrub"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger would print the URL and, on errors, the POST body.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # WeasyPrint narrates every step of a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Running it (schakel/ops): backups, health, metrics.
# Destructions are also appended here, outside the database and the backups, so a
# restore of an older backup destroys them again (ops/ledger.py).
DESTRUCTION_LEDGER = env("DESTRUCTION_LEDGER") or str(DATA_DIR / "destructions.jsonl")
# pg_dump/pg_restore for backups on PostgreSQL (empty: the PATH, else the newest
# /usr/lib/postgresql/*/bin); they must be at least the server's version.
PG_BIN_DIR = env("PG_BIN_DIR")
# /gezondheid/ready and /gezondheid/metrics: a request with "Authorization: Bearer
# <HEALTH_TOKEN>", or from these networks (behind a proxy: see PROXY_COUNT).
HEALTH_TOKEN = env("HEALTH_TOKEN")
if HEALTH_TOKEN and len(HEALTH_TOKEN) < 32:
    raise ImproperlyConfigured("HEALTH_TOKEN must be at least 32 characters long.")
HEALTH_NETWORKS = [n.strip() for n in env(
    "HEALTH_NETWORKS", "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
).split(",") if n.strip()]
try:
    import ipaddress as _ipaddress
    for _net in HEALTH_NETWORKS:
        _ipaddress.ip_network(_net)
except ValueError:
    raise ImproperlyConfigured(
        f"HEALTH_NETWORKS must be networks such as 10.0.0.0/8, not {_net!r}.") from None
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# Monitors ask over plain HTTP on the local address; no redirect to HTTPS for them.
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/"]

def _region_municipalities(raw: str) -> tuple[tuple[str, str], ...]:
    """REGION_MUNICIPALITIES: "Montfoort=https://schakel.montfoort.nl,Oudewater=…"."""
    from urllib.parse import urlsplit

    pairs = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, _sep, url = part.partition("=")
        name, url = name.strip(), url.strip().rstrip("/")
        parsed = urlsplit(url)
        if not name or len(name) > 100 or parsed.scheme not in {"http", "https"} \
                or not parsed.netloc:
            raise ImproperlyConfigured(
                f"REGION_MUNICIPALITIES must be Name=https://address pairs separated by "
                f"commas, not {part!r}.")
        pairs.append((name, url))
    if len({name for name, _url in pairs}) != len(pairs):
        raise ImproperlyConfigured("REGION_MUNICIPALITIES names a municipality twice.")
    return tuple(pairs)


# Domain settings, each from the environment with the plan's default.
SCHAKEL = {
    "MUNICIPALITY": env("MUNICIPALITY_NAME", "Montfoort"),
    "SIGNAL_REFERENCE_PREFIX": env("SIGNAL_REFERENCE_PREFIX", "MH"),
    "QUEUE_PAGE_SIZE": env_int("QUEUE_PAGE_SIZE", 25),
    # Council report and dashboard: counts below this are shown as "< N" (0 shows them all).
    "REPORT_SUPPRESSION_THRESHOLD": env_int("REPORT_SUPPRESSION_THRESHOLD", 5),
    # A reporter waiting longer than this for the officer's message is overdue.
    "REPORT_INFORM_REPORTER_DAYS": env_int("REPORT_INFORM_REPORTER_DAYS", 14),
    # Retention (Selectielijst gemeenten); final council reports are kept permanently.
    "RETENTION_CLOSED_YEARS": env_int("RETENTION_CLOSED_YEARS", 5),
    "RETENTION_DISMISSED_YEARS": env_int("RETENTION_DISMISSED_YEARS", 1),
    "RETENTION_LOGIN_MONTHS": env_int("RETENTION_LOGIN_MONTHS", 6),
    # The outbox retries a failed e-mail after these intervals (the last one repeats)
    # until OUTBOX_RETRY_HOURS after it was queued; then it is flagged (partners/outbox.py).
    "OUTBOX_RETRY_MINUTES": env_minutes("OUTBOX_RETRY_MINUTES", "1,5,15,60,240,720"),
    "OUTBOX_RETRY_HOURS": env_int("OUTBOX_RETRY_HOURS", 72),
    # Register imports and lists to check (subjects/tabular.py): checked while streaming,
    # before anything is read whole. The cell limit stays below the csv module's own
    # field limit (131,072), so every over-long cell gets the same Dutch line error.
    "IMPORT_MAX_ROWS": env_limit("IMPORT_MAX_ROWS", 250_000),
    "IMPORT_MAX_COLUMNS": env_limit("IMPORT_MAX_COLUMNS", 50, maximum=16_384),
    "IMPORT_MAX_CELL_CHARS": env_limit("IMPORT_MAX_CELL_CHARS", 2_000, maximum=100_000),
    "IMPORT_MAX_MB": env_limit("IMPORT_MAX_MB", 100),
    "IMPORT_MAX_ZIP_RATIO": env_limit("IMPORT_MAX_ZIP_RATIO", 100),
    # The regional picture (schakel/region): REGION_MUNICIPALITIES makes this installation
    # the region's, "Name=https://address,Other=https://…"; their tokens are entered on the
    # region's page and stored encrypted. Empty: an ordinary municipality's installation.
    "REGION": _region_municipalities(env("REGION_MUNICIPALITIES")),
    "REGION_NAME": env("REGION_NAME", "Copen-gebied"),
    # How long the region waits for a municipality's answer, and how often it fetches.
    "REGION_FETCH_TIMEOUT": env_limit("REGION_FETCH_TIMEOUT", 5, maximum=60),
    "REGION_FETCH_HOURS": env_limit("REGION_FETCH_HOURS", 6, maximum=168),
}
