"""HTTP as API clients expect it: JSON errors (never an HTML page, never a 500 for what a client can send), CORS
for reads from any origin, throttling per client address with 429 and Retry-After, and the labels' language
from `?lang=`.

Conditional GETs (ETag, Last-Modified, 304) come from the page cache (ssn4psi/page_cache.py), which keeps the
API's anonymous responses like pages and forgets them when content changes; without it (`PAGE_CACHE=0`), the
API still sends an ETag, a hash of the body, and answers a matching If-None-Match with 304."""

import hashlib

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, views
from rest_framework.authentication import TokenAuthentication
from rest_framework.throttling import SimpleRateThrottle

#: The languages of `?lang=`: those of the SDG framework's titles (the site's own four have every label).
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh-Hans", "sw")
#: What a browser on another site may read of the API's answers.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After, Link",
    "Access-Control-Max-Age": "86400",
}


class ClientAddressThrottle(SimpleRateThrottle):
    """At most API_THROTTLE_RATE requests per client address (behind NUM_PROXIES proxies), counted in the default
    cache; past it, 429 with Retry-After. A cache that cannot be reached counts nothing (never an error)."""

    scope = "api"

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def exception_handler(error, context):
    """DRF's handler, then a JSON answer for anything it leaves to Django: every error of the API is JSON, with
    `detail` (and, for a bad parameter, the parameter's name and what is wrong with it)."""
    if isinstance(error, Http404):
        error = exceptions.NotFound(str(error) if error.args else _("Nothing has this key, or it is not public."))
    return views.exception_handler(error, context)


def not_found(request, *args, **kwargs):
    """An address under /api/ that names no endpoint: JSON, like every other answer of the API."""
    response = JsonResponse({"detail": _("No endpoint at this address; the list is at /api/.")}, status=404)
    add_cors_headers(response)
    return response


def add_cors_headers(response):
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def chosen_language(request):
    """The language of labels: `?lang=` when it is one of LANGUAGES, else English (a bad value is reported by the
    view's parameters)."""
    language = request.GET.get("lang") or settings.LANGUAGE_CODE
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


class OpenDataView(views.APIView):
    """What every endpoint of the API shares: throttling per client address, labels in the chosen language (the
    body is rendered while it is active), CORS headers, and an ETag with 304 for a matching If-None-Match when
    the page cache is off."""

    throttle_classes = [ClientAddressThrottle]
    # Anyone reads; a write needs a token (`Authorization: Token ...`, created in the admin for a user), and what
    # its user may write is checked by opendata.writes, record by record. A token nobody has is a 401, reads too.
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def dispatch(self, request, *args, **kwargs):
        with translation.override(chosen_language(request)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        add_cors_headers(response)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response["Cache-Control"] = "private, no-store"
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not settings.PAGE_CACHE_ENABLED:
            etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            response["ETag"] = etag
            return get_conditional_response(request, etag=etag, response=response)
        return response
