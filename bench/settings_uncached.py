"""Settings of the page benchmark: the production settings with every cache off.

Every cache alias the production settings define becomes Django's dummy cache, which never keeps anything, so
each request builds its page from the database, whatever the application caches and however. A whole-page cache
switched by a setting (PAGE_CACHE_ENABLED) is switched off as well, before and after the import, for settings
that read it from the environment. The values the production settings require are given here when the caller
has not set them (bench/pages.py sets its own); REDIS_URL points nowhere and is never used, since no cache
backend reads it.

    DJANGO_SETTINGS_MODULE=bench.settings_uncached python manage.py ...
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on 127.0.0.1
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:9/0")  # required by production settings to come
os.environ["PAGE_CACHE"] = "0"

from ssn4psi.settings.production import *  # noqa: E402, F403

CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    for alias in {"default", *CACHES}  # noqa: F405
}
PAGE_CACHE_ENABLED = False
