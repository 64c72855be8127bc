"""Loading the configured search backend: `SEARCH_BACKEND = {"BACKEND": "search.backends.database", ...}`.

The database backend is the default; settings switch to search.backends.elasticsearch when
`ELASTICSEARCH_URL` is set. The module named by BACKEND exposes a `SearchBackend` class; the rest of the
dict is passed to it as its parameters."""

from functools import lru_cache
from importlib import import_module

from django.conf import settings


@lru_cache(maxsize=4)
def _load(path, params):
    return import_module(path).SearchBackend(dict(params))


def get_backend(name=None):
    """The backend named by `name` (a module path), or the configured one."""
    config = dict(getattr(settings, "SEARCH_BACKEND", {}) or {})
    path = name or config.pop("BACKEND", "search.backends.database")
    config.pop("BACKEND", None)
    return _load(path, tuple(sorted((k, v if not isinstance(v, list) else tuple(v)) for k, v in config.items())))
