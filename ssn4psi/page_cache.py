"""Whole public pages kept in the shared cache for anonymous visitors, and forgotten exactly when content changes.

A page is kept under a key made of its URL (scheme, host, path, query string in a stable order), the visitor's
language and the *generation*: a random token kept in the cache (Redis in production, shared by every web
process and Celery worker). Any change to content moves the generation, so every page kept before is never read
again and expires on its own: coarse (one change forgets every page), and exact. What moves it:

- a save or delete of any model of the apps in PAGE_CACHE_CONTENT_APPS (but PAGE_CACHE_IGNORED_MODELS), a change
  to one of their many-to-many relations, Wagtail's publish, unpublish and move signals, a migration;
- content_changed(), which the services call after writes that send no signal (bulk_create, QuerySet.update()
  and delete() on models ignored here, imports, recommendations recomputed, search index updates).

A change moves the generation twice: once it commits (transaction.on_commit), so that a page built by another
process from the rows as they were before the commit is never read; and before this thread next reads a page,
so the writer itself (a request, a test, an import inside its transaction) never reads a page older than its
own write.

Only GET and HEAD requests of anonymous visitors (no session or message cookie) for public pages answered 200
are kept (HTML, and the open-data API's JSON and CSV: PAGE_CACHE_CONTENT_TYPES): not a page that set a cookie,
used the CSRF token (a form), or says `Cache-Control: private`, `no-store` or `no-cache`. Kept pages are sent
with `Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE`, an ETag (a hash of the body) and Last-Modified (when the
generation moved); conditional requests get 304. Every other response to a request that could have been kept
says `Cache-Control: private`, so that no proxy holds a page built for one person. Personal pages (links with a
personal token) use `personal_page`: `private, no-store`.

When the cache cannot be reached, pages are built from the database as if nothing were kept (slower, never an
error). See docs/caching.md.
"""

import functools
import hashlib
import logging
import secrets
import threading
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from ssn4psi.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)

#: The cache key of the generation: (token, time it moved, in seconds since the epoch).
GENERATION_KEY = "ssn4psi:pages:generation"
#: The header that says whether a public page came from the cache (hit) or was built (miss); nothing else.
STATUS_HEADER = "X-Page-Cache"
#: Headers the middleware writes itself on every public page, so never kept with the body.
_OWN_HEADERS = {"cache-control", "etag", "last-modified", "expires", "set-cookie", STATUS_HEADER.lower()}
#: Request headers a kept page may vary on: the language is part of the key, and cookies that change a page
#: (session, messages) make a request ineligible.
_VARY_ALLOWED = {"accept-language", "cookie"}

#: Sent once a committed change has moved the generation (after the commit), with no arguments: connect a
#: receiver to purge a CDN or proxy (docs/caching.md).
pages_changed = Signal()

# This thread's changes not yet reflected in the generation: `read` before its next read of a page, `commit`
# once its transaction commits. A rolled-back transaction leaves them set: one move too many, never one short.
_pending = threading.local()
# Set in this process when a cache call failed: a change may have happened meanwhile without moving the
# generation, so the generation moves at the first call that works again. Only ever causes one move too many.
_missed = threading.Event()


# -- the generation -------------------------------------------------------------------------------------------


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def content_changed(using=None):
    """Say that content shown on public pages changed: call it after writes that send no model signal
    (bulk_create, QuerySet.update() or delete() on a model PAGE_CACHE_IGNORED_MODELS names, raw SQL).

    Cheap (no cache call): the generation moves before this thread's next page and again once the current
    transaction commits (at once outside a transaction)."""
    _pending.read = True
    _pending.commit = True
    transaction.on_commit(_after_commit, using=using)


def _after_commit():
    # One callback per change, but the first to run moves the generation and the others find nothing to do.
    if getattr(_pending, "commit", False):
        _pending.commit = False
        move_generation()
        pages_changed.send(sender=None)


def move_generation():
    """Forget every kept page now: the generation takes a new random token. Returns it (token, time it moved), or
    None when the cache is down."""
    _pending.read = False
    cache = _cache()
    try:
        generation = _new_generation(cache.get(GENERATION_KEY))
        cache.set(GENERATION_KEY, generation, timeout=None)
    except CACHE_ERRORS as error:
        _cache_down(error)
        return None
    _missed.clear()
    return generation


def _new_generation(previous):
    # A random token, not a counter: a generation lost from the cache (a restart, an eviction) starts again from a
    # token no kept page was ever stored under. The time is strictly later than the previous one's, for
    # Last-Modified.
    moved = time.time()
    if previous is not None:
        moved = max(moved, previous[1] + 0.001)
    return (secrets.token_hex(8), moved)


def current_generation():
    """(token, time it moved) of the kept pages, or None when the cache cannot be reached."""
    if getattr(_pending, "read", False) or _missed.is_set():
        return move_generation()
    cache = _cache()
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # a fresh cache: the first process to add one wins
            generation = _new_generation(None)
            if not cache.add(GENERATION_KEY, generation, timeout=None):
                generation = cache.get(GENERATION_KEY) or generation
    except CACHE_ERRORS as error:
        _cache_down(error)
        return None
    return generation


def kept_until_changed(name, build):
    """`build()`, kept in the page cache's store until content next changes (the generation moves), for a value
    derived from all of it that must never be older than the content (a bulk download): built once per change.
    Built each time when the page cache is off or its store is down."""
    generation = current_generation() if settings.PAGE_CACHE_ENABLED else None
    if generation is None:
        return build()
    key = f"ssn4psi:kept:{generation[0]}:{name}"
    kept = _get(key)
    if kept is None:
        kept = build()
        _set(key, kept, settings.PAGE_CACHE_TIMEOUT)
    return kept


def _cache_down(error):
    _missed.set()
    logger.warning("Page cache unavailable, pages are built from the database: %r", error)


# -- what moves it ------------------------------------------------------------------------------------------------


def _changed(sender=None, **kwargs):
    content_changed(using=kwargs.get("using"))


def _relation_changed(sender=None, action="", **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed(using=kwargs.get("using"))


def content_models():
    """The models whose saves and deletes move the generation: every model of PAGE_CACHE_CONTENT_APPS but those
    PAGE_CACHE_IGNORED_MODELS names ("app_label.modelname")."""
    from django.apps import apps

    content_apps = set(settings.PAGE_CACHE_CONTENT_APPS)
    ignored = {label.lower() for label in settings.PAGE_CACHE_IGNORED_MODELS}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in content_apps and model._meta.label_lower not in ignored
    ]


def connect_signals():
    """Move the generation on every change to content (called from the app's ready()).

    Receivers are connected model by model rather than for every sender: a post_delete receiver for every model
    would make Django load each row of every bulk delete in the project (sessions, login attempts) to signal it."""
    from wagtail import signals as wagtail_signals

    for model in content_models():
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache_save_{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache_delete_{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _relation_changed, sender=through, dispatch_uid=f"page_cache_m2m_{through._meta.label_lower}"
            )
    # Data migrations write with historical models, which send no model signal.
    post_migrate.connect(_changed, dispatch_uid="page_cache_migrate")
    # A move rewrites the paths of a subtree with UPDATE statements, which send no model signal.
    for signal, name in (
        (wagtail_signals.page_published, "published"),
        (wagtail_signals.page_unpublished, "unpublished"),
        (wagtail_signals.post_page_move, "moved"),
        (wagtail_signals.published, "snippet_published"),
        (wagtail_signals.unpublished, "snippet_unpublished"),
    ):
        signal.connect(_changed, dispatch_uid=f"page_cache_{name}")


# -- personal pages ---------------------------------------------------------------------------------------------


def personal_page(view):
    """A view that shows one person's data (a link with a personal token, an organiser's screen): its responses
    say `Cache-Control: private, no-store`, so no proxy, CDN or shared browser cache keeps them, and the page
    cache never does either; their head asks search engines not to index them (`request.is_personal_page`)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.is_personal_page = True
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def cache_until(request, moment):
    """Keep the page being built for `request` no later than `moment` (an aware datetime): for a page that
    changes with time alone (registration opening, a workshop becoming past), which no write announces."""
    if request is None:
        return
    timestamp = moment.timestamp()
    previous = getattr(request, "_page_cache_until", None)
    request._page_cache_until = timestamp if previous is None else min(previous, timestamp)


# -- the middleware -----------------------------------------------------------------------------------------------


def is_candidate(request):
    """Whether the page cache deals with `request` at all: a GET or HEAD outside the excluded paths (the admin,
    documents, personal links, the health check)."""
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))
    )


def is_anonymous(request):
    """Whether the request comes from nobody in particular: no session cookie (so nobody signed in, no password
    entered for a private page), no message waiting, no credentials."""
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies or "HTTP_AUTHORIZATION" in request.META
    )


def page_key(request):
    """The part of a kept page's cache key that comes from the request (the generation is added to it): scheme,
    host, path, query string and the visitor's language."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        # Parameters in a stable order (values of one name keep theirs): ?b=2&a=1 is the page ?a=1&b=2 is.
        query = urlencode(sorted(parse_qsl(query, keep_blank_values=True), key=lambda pair: pair[0]))
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or ""
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return hashlib.blake2b(f"{language}\n{url}".encode(), digest_size=16).hexdigest()


def is_public(request, response):
    """Whether `response` is a public page that may be kept and shared: 200, of a kind PAGE_CACHE_CONTENT_TYPES
    names (HTML pages, the open-data API's JSON and CSV), built for nobody in particular (no cookie set, no CSRF
    token used, no session written, no preview) and not marked private."""
    if response.status_code != 200 or response.streaming or getattr(request, "is_preview", False):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in settings.PAGE_CACHE_CONTENT_TYPES or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page holds a CSRF token: a form for this visitor's cookie only
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    directives = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if directives & {"private", "no-store", "no-cache"}:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= _VARY_ALLOWED


class PageCacheMiddleware:
    """Serves kept public pages to anonymous visitors and keeps the pages it builds for them (see the module).

    Placed after LocaleMiddleware, which decides the language, and before CommonMiddleware and everything after
    it: a page served from the cache skips them, and their headers (X-Frame-Options...) are kept with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_candidate(request):
            return self.get_response(request)
        if not is_anonymous(request):
            return _mark_private(self.get_response(request))
        key = page_key(request)
        # Taken before the generation is read: any later move of it is later than this (see _public()).
        read_at = time.time()
        generation = current_generation()
        if generation is None:  # the cache is down: build the page, as if nothing were kept
            return _mark_private(self.get_response(request))
        token, moved = generation
        entry_key = f"ssn4psi:page:{token}:{key}"
        entry = _get(entry_key)
        if entry is not None:
            content, headers, etag, until = entry
            if until is None or until > time.time():
                response = HttpResponse(content, headers=headers)
                return _public(request, response, etag, moved, read_at, until, "hit")
        response = self.get_response(request)
        until = getattr(request, "_page_cache_until", None)
        now = time.time()
        if not is_public(request, response) or (until is not None and until <= now):
            return _mark_private(response)
        content = response.content
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        if request.method == "GET":  # a HEAD's body may have been left out
            headers = [(name, value) for name, value in response.items() if name.lower() not in _OWN_HEADERS]
            timeout = settings.PAGE_CACHE_TIMEOUT
            if until is not None:
                timeout = max(1, min(timeout, int(until - now)))
            _set(entry_key, (content, headers, etag, until), timeout)
        return _public(request, response, etag, moved, read_at, until, "miss")


def _public(request, response, etag, moved, read_at, until, status):
    """The headers of a public page, then the 304 a conditional request may get instead."""
    max_age = settings.PAGE_CACHE_MAX_AGE
    if until is not None:
        max_age = max(0, min(max_age, int(until - time.time())))
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response["ETag"] = etag
    # Last-Modified has whole seconds: two moves within one second would give two generations the same date,
    # and a client asking "modified since?" would wrongly be told no. So it is sent only when the generation was
    # read after the second it moved in was over: any move not seen yet comes later, in a later second.
    last_modified = int(moved) if read_at >= int(moved) + 1 else None
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response[STATUS_HEADER] = status
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


def _mark_private(response):
    # Not kept here, so not to be kept by a proxy either: unless the view said otherwise, the page may have been
    # built for one visitor (signed in, a form with their CSRF token, a cookie set).
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True)
    return response


def _get(key):
    try:
        return _cache().get(key)
    except CACHE_ERRORS as error:
        _cache_down(error)
        return None


def _set(key, value, timeout):
    try:
        _cache().set(key, value, timeout)
    except CACHE_ERRORS as error:
        _cache_down(error)
