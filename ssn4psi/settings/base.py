"""Settings shared by every environment.

Every external component is configured from the environment and has an embedded default, so the
platform runs on a fresh machine with nothing but Python: SQLite, eager Celery, Wagtail's database
search and console e-mail. See docs/architecture.md ("Components").
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "ssn4psi"


def env_list(name, default=""):
    """A comma-separated environment variable as a list, without empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "ssn4psi",
    "members",
    "solutions",
    "matchmaking",
    "workshops",
    "search",
    "network",
    "opendata",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # the sitemap's template (wagtail.contrib.sitemaps serves it through Django's view)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A Content-Security-Policy on every response, the kept pages' included (CONTENT_SECURITY_POLICY below).
    "ssn4psi.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Refuses NUL characters in the path, the query string and forms (400), in the visitor's language.
    "ssn4psi.middleware.RefuseNullCharactersMiddleware",
    # After the language is known, before the rest: a kept page skips everything below (docs/caching.md).
    "ssn4psi.page_cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Wagtail's inline scripts in the admin rewritten as data, for its Content-Security-Policy (ssn4psi.admin_scripts).
    "ssn4psi.middleware.AdminScriptsAsDataMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (ssn4psi.middleware.ContentSecurityPolicyMiddleware): everything from the site itself
# (no CDN, no font host: the site works on an intranet); no inline script anywhere, and no inline style on the
# public pages. The admin allows inline styles, which Wagtail 8's interface sets; its inline scripts (the page
# editor's inline panels and choosers, the date and time widgets) reach the browser as data that a file runs
# (ssn4psi.middleware.AdminScriptsAsDataMiddleware).
_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in _CSP.items())
CONTENT_SECURITY_POLICY_ADMIN = "; ".join(
    f"{name} {value}"
    for name, value in {
        **_CSP,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
    }.items()
)
CONTENT_SECURITY_POLICY_ADMIN_PATHS = ["/admin/"]

ROOT_URLCONF = "ssn4psi.urls"
WSGI_APPLICATION = "ssn4psi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ssn4psi.context_processors.site_languages",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or any dj-database-url URL) from DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids "database is locked" upgrades; a writer
    # waits up to 20 s for the lock (5 by default), so a burst of registrations queues instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Password guessing on the admin login: lock out a user name from one address after five failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "ssn4psi/lockout.html"

# Internationalisation: the interface speaks these languages; content is translated with wagtail-localize.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ssn4psi_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Caches: per process by default; Redis (shared by every web process and worker) when REDIS_URL is set. A Redis
# that is down or unreachable fails within a quarter of a second. The default cache then answers as an empty one
# (ssn4psi.cache), so pages are built from the database; the page cache has an alias of its own on the plain
# backend, whose errors it handles itself (it must know of an outage to forget what it kept).
if os.environ.get("REDIS_URL"):
    _REDIS = {
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
    CACHES = {
        "default": {"BACKEND": "ssn4psi.cache.ResilientRedisCache", **_REDIS},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **_REDIS},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }

# Whole public pages kept in the cache for anonymous visitors (ssn4psi/page_cache.py, docs/caching.md). On by
# default with a shared cache only: with the per-process one, a change made by another process (a management
# command, a Celery worker) would not reach the pages this process keeps. PAGE_CACHE=1 or 0 decides otherwise.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE", "1" if os.environ.get("REDIS_URL") else "0") == "1"
PAGE_CACHE_ALIAS = "pages"
#: Seconds a kept page lives at most: pages are forgotten at every change anyway; this bounds what a page that
#: changes with time alone may show late, when it does not say when it changes (ssn4psi.page_cache.cache_until).
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "600"))
#: Seconds a browser, proxy or CDN may keep a public page (Cache-Control: public, max-age=...).
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
#: Apps whose models' saves and deletes change what public pages show.
PAGE_CACHE_CONTENT_APPS = [
    "ssn4psi",
    "members",
    "solutions",
    "matchmaking",
    "workshops",
    "wagtailcore",  # pages, sites, locales, view restrictions, collections
    "wagtaildocs",
    "wagtailimages",
    "taggit",
]
#: Models of those apps that pages do not show, or that are written only in bulk by code that calls
#: ssn4psi.page_cache.content_changed() itself (signalling each of their rows would make bulk deletes slow).
PAGE_CACHE_IGNORED_MODELS = [
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailimages.rendition",  # written while a page is being shown, the first time an image size is needed
    "workshops.outboxemail",
    "matchmaking.partnerrecommendation",
    "matchmaking.solutionrecommendation",
]
#: Paths never kept: the admin, documents (Wagtail serves them with their own rules), personal links, the check.
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/documents/", "/registrations/", "/healthz"]
#: The kinds of response kept: pages, and the open-data API's JSON, schemas and CSV downloads.
PAGE_CACHE_CONTENT_TYPES = [
    "text/html",
    "application/json",
    "application/vnd.oai.openapi+json",
    "application/schema+json",
    "text/csv",
    "application/xml",  # /sitemap.xml
]

# Background tasks: Celery workers on CELERY_BROKER_URL, or run in-process (eager) when no broker is set.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (
    None if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL
)
CELERY_TASK_EAGER_PROPAGATES = True
# No task's result is read but the workers' health check's (ssn4psi.tasks.check_database asks for its own), so
# queueing one never waits on the result store; and with the broker down, queueing gives up after a few tenths
# of a second instead of Celery's default retries (a page must answer at once; ssn4psi.tasks.enqueue).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Periodic work, for `celery -A ssn4psi beat`: freed places whose offer lapsed go to the next person waiting.
CELERY_BEAT_SCHEDULE = {
    "expire-workshop-offers": {"task": "workshops.tasks.expire_offers", "schedule": 15 * 60},
    "send-workshop-reminders": {"task": "workshops.tasks.send_reminders", "schedule": 10 * 60},
    "resend-unsent-registration-emails": {"task": "workshops.tasks.resend_unsent_emails", "schedule": 5 * 60},
    # Recomputes asked for but not queued (broker down) or not finished (worker died); nothing to do costs one
    # UPDATE (ssn4psi.refresh).
    "refresh-recommendations": {"task": "matchmaking.tasks.refresh_recommendations", "schedule": 60},
    "refresh-similar-solutions": {"task": "solutions.tasks.refresh_similar_solutions", "schedule": 60},
}
# Hours before a workshop starts when its confirmed participants get a reminder (once each).
WORKSHOP_REMINDER_HOURS = int(os.environ.get("WORKSHOP_REMINDER_HOURS", "24"))
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# Rate limits of the forms anyone can send (ssn4psi/antispam.py): scope -> (sends, seconds), per client address,
# and per e-mail address written to ("-email"). Generous per address, since a ministry may share one. Env
# RATE_LIMITS: "off", or pairs such as "registration=60/600,links-email=3/3600" that replace the defaults named.
RATE_LIMITS = {
    "registration": (60, 600),
    "registration-email": (5, 3600),
    "links": (30, 600),
    "links-email": (3, 3600),
}
if os.environ.get("RATE_LIMITS", "").strip().lower() == "off":
    RATE_LIMITS = {}
else:
    for _pair in filter(None, os.environ.get("RATE_LIMITS", "").split(",")):
        _scope, _limit = _pair.strip().split("=")
        _count, _seconds = _limit.split("/")
        RATE_LIMITS[_scope] = (int(_count), int(_seconds))
#: The header a trusted proxy puts the client's address in (e.g. HTTP_X_REAL_IP); REMOTE_ADDR when empty.
RATE_LIMIT_IP_HEADER = os.environ.get("RATE_LIMIT_IP_HEADER", "")

# Workshops after the event: how long participants may give or change feedback after a workshop ends, and
# how long registrations keep personal data (`manage.py purge_registrations` anonymises them after that).
WORKSHOPS_FEEDBACK_DAYS = int(os.environ.get("WORKSHOPS_FEEDBACK_DAYS", "14"))
WORKSHOPS_REGISTRATION_RETENTION_DAYS = int(os.environ.get("WORKSHOPS_REGISTRATION_RETENTION_DAYS", "365"))

# E-mail: console by default; EMAIL_URL such as smtp://user:pass@host:587 or "file:///path".
EMAIL_URL = os.environ.get("EMAIL_URL", "console:")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SSN4PSI <no-reply@ssn4psi.localhost>")
#: Where people write to the Secretariat: the Contact page and the privacy notice give it (setup_site writes it
#: into their first text). The network's documents give no address, so the default is a placeholder to replace.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "secretariat@ssn4psi.localhost")
if EMAIL_URL.startswith("smtp"):
    from urllib.parse import unquote, urlparse

    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or 587
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = EMAIL_URL.startswith("smtp+tls") or EMAIL_PORT == 587
    EMAIL_USE_SSL = EMAIL_URL.startswith("smtps")
elif EMAIL_URL.startswith("file:"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = EMAIL_URL.removeprefix("file://") or str(BASE_DIR / "sent-mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Wagtail
WAGTAIL_SITE_NAME = "SSN4PSI"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No avatars from an external host (Gravatar): the admin works on an intranet and sends no address hashes out.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# AUTO_UPDATE off: search/indexing.py updates the index in batches after each commit, through Celery.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
WAGTAIL_ENABLE_UPDATE_CHECK = False

# The site's own search (search/backends): the database by default, Elasticsearch when its URL is given.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_BACKEND = (
    {
        "BACKEND": "search.backends.elasticsearch",
        "URL": ELASTICSEARCH_URL,
        "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "ssn4psi"),
    }
    if ELASTICSEARCH_URL
    else {"BACKEND": "search.backends.database"}
)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Rich text features allowed everywhere on the site; the sanitiser (ssn4psi.richtext) allows the same tags.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "hr"]},
    }
}

# The open-data API (opendata/, docs/open-data.md): read by anyone, JSON only, throttled per client address.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],  # writes: a catalogue record as JSON
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "opendata.http.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,  # JSON only; `format` is a filter of workshops
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")) or None,
}
#: Requests one client address may make to the API (pages served from the page cache not counted).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/minute")
#: Results per page of an API list, unless the client asks for another number up to the maximum.
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 100
#: Paths whose errors are answered in JSON, not as pages (the open-data API).
JSON_ERROR_PATHS = ["/api/"]
#: The licence of the open data (/data/, the API's description).
OPEN_DATA_LICENCE = {
    "name": "Creative Commons Attribution 4.0 (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "note": _(
        "SDG titles: United Nations, through open-sdg/sdg-translations (MIT licence). Records from the Digital "
        "Public Goods Alliance registry: public domain (Unlicense)."
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SSN4PSI open data API",
    "DESCRIPTION": (
        "The public catalogue of the South-South Network for Public Service Innovation: solutions, members and "
        "their needs, adoptions, exchanges and their outcomes, workshops, recommendations, the SDG framework and "
        "themes, as JSON, identified by catalogue key. Anyone reads, without an account; focal points and the "
        "Secretariat write with a token (Authorize: `Token <key>`). Licence: CC BY 4.0."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",  # JSON Schema's own null type, as pydantic writes optional fields
    "PREPROCESSING_HOOKS": ["ssn4psi.openapi.public_api_only"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Catalogue listings
CATALOGUE_PAGE_SIZE = 20
MEMBER_DIRECTORY_PAGE_SIZE = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Translators see these names through gettext.
_("English"), _("French"), _("Spanish"), _("Arabic")

# The matcher's weights (matchmaking/scoring.py: Weights documents each), e.g.
# MATCHMAKING_WEIGHTS='{"need": 1.2, "popularity": 0.1}'. Unknown names stop the start with an error.
try:
    MATCHMAKING_WEIGHTS = json.loads(os.environ.get("MATCHMAKING_WEIGHTS") or "{}")
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"MATCHMAKING_WEIGHTS is not valid JSON: {error}") from None
#: How many partners and solutions are kept for each learner.
MATCHMAKING_TOP = int(os.environ.get("MATCHMAKING_TOP") or 10)
