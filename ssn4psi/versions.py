"""A version number shared by every process through the cache, for data each process keeps in its own memory
(the sites, the active locales, the SDG vocabulary): a process reloads its copy when the version moved."""

from django.core.cache import cache
from django.db import transaction


class SharedVersion:
    def __init__(self, key):
        self.key = key

    def current(self):
        version = cache.get(self.key)
        if version is None:
            version = 1
            cache.add(self.key, version, timeout=None)
        return version

    def bump(self):
        try:
            cache.incr(self.key)
        except ValueError:  # not in the cache (a fresh cache): any new value differs from a process's own
            cache.set(self.key, 2, timeout=None)

    def forget(self):
        """Move the version at once, for this transaction's own reads, and again once it commits, for a process
        that read the old rows in between and kept them."""
        self.bump()
        transaction.on_commit(self.bump)
