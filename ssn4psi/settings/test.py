"""Tests: fast password hashing, in-memory e-mail, eager Celery unless a broker is given."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# The page cache on, as in production: every test that reads a page twice around a change checks it is forgotten.
PAGE_CACHE_ENABLED = True
AXES_FAILURE_LIMIT = 5
# Tests send many forms from one address: the rate limits are switched on by the tests of them.
RATE_LIMITS = {}
# Static files straight from the apps' folders: no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file, not memory, for the SQLite test database: the live server's thread then has a connection of its
# own instead of sharing the test's, so browser tests and their database resets cannot interleave.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
