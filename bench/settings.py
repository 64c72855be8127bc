"""Settings of the page benchmarks: the production settings (DEBUG off, the real middleware), with a cache of the
process's own and the page cache off, so that bench/pages.py measures what building a page costs, with no Redis
server needed, as it always has. bench/page_cache.py turns the page cache on (BENCH_PAGE_CACHE=1), in Redis when
BENCH_REDIS_URL is set."""

import os

# Production refuses to start without a shared cache (REDIS_URL); the benchmarks choose theirs below.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

from ssn4psi.settings.production import *  # noqa: E402, F403

if os.environ.get("BENCH_REDIS_URL"):
    CACHES = {alias: {**options, "LOCATION": os.environ["BENCH_REDIS_URL"]} for alias, options in CACHES.items()}  # noqa: F405
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
PAGE_CACHE_ENABLED = os.environ.get("BENCH_PAGE_CACHE") == "1"
