"""A Redis cache that a Redis outage cannot turn into errors.

Wagtail keeps the sites' root paths in the default cache and reads them for every page it serves or links to;
Django's RedisCache raises when the server cannot be reached, so an outage would answer every request with a
500. `ResilientRedisCache` answers as an empty cache instead (a read misses, a write is dropped) and logs the
outage: pages are built from the database, slower, never an error.

The page cache (ssn4psi/page_cache.py) must know when the server is down, to forget what it kept once it is
back: it uses an alias of its own on Django's plain RedisCache and guards every call itself.
"""

import logging

from django.core.cache.backends.redis import RedisCache

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis comes with celery[redis]
    RedisError = OSError

logger = logging.getLogger(__name__)

#: What a cache call raises when the server is down, unreachable or too slow.
CACHE_ERRORS = (RedisError, OSError)


def _answering(operation, empty):
    """Django's RedisCache method `operation`, answering `empty(*args)` where the server cannot be reached."""

    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), operation)(*args, **kwargs)
        except CACHE_ERRORS as error:
            logger.warning("Cache unavailable (%s): %r", operation, error)
            return empty(*args, **kwargs)

    method.__name__ = operation
    return method


def _not_found(key, *args, **kwargs):
    # incr() and decr() of a key that is not there raise ValueError: callers then set it afresh.
    raise ValueError(f"Key {key!r} not found: the cache cannot be reached.")


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while the server cannot be reached: reads miss, writes
    are dropped."""

    get = _answering("get", lambda key, default=None, *args, **kwargs: default)
    get_many = _answering("get_many", lambda *args, **kwargs: {})
    has_key = _answering("has_key", lambda *args, **kwargs: False)
    add = _answering("add", lambda *args, **kwargs: False)
    set = _answering("set", lambda *args, **kwargs: None)
    set_many = _answering("set_many", lambda data, *args, **kwargs: list(data))
    touch = _answering("touch", lambda *args, **kwargs: False)
    delete = _answering("delete", lambda *args, **kwargs: False)
    delete_many = _answering("delete_many", lambda *args, **kwargs: None)
    incr = _answering("incr", _not_found)
    decr = _answering("decr", _not_found)
    clear = _answering("clear", lambda *args, **kwargs: False)
