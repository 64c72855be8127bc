"""Site-wide views: the language switcher and a health check."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from kombu.exceptions import OperationalError

from ssn4psi.cache import CACHE_ERRORS
from ssn4psi.celery import app as celery_app
from ssn4psi.middleware import wants_json

logger = logging.getLogger(__name__)


def switch_language(request, code):
    """Remember the visitor's interface language in a cookie and go back to the page they were on."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("Unknown language")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    return response


@never_cache
def health(request):
    """200 when the database, the cache and the broker (when tasks go to workers) answer, 503 naming what is
    down otherwise (the error's kind only: the details, which may name hosts, go to the log). Used by load
    balancers and `make run`."""
    checks = {"database": _check_database, "cache": _check_cache}
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = _check_broker
    report = {}
    for name, check in checks.items():
        try:
            check()
        except (DatabaseError, *CACHE_ERRORS, OperationalError) as error:
            logger.error("Health check: the %s is down: %r", name, error)
            report[name] = f"down: {type(error).__name__}"
        else:
            report[name] = "ok"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse({"status": "ok" if healthy else "down", **report}, status=200 if healthy else 503)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    # A read is enough to know the server answers; a miss is an answer.
    caches[settings.PAGE_CACHE_ALIAS].get("ssn4psi:healthz")


def _check_broker():
    # One connection attempt, no retry: a load balancer asks again soon enough.
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)


def bad_request(request, exception=None):
    """Django's 400 (a request it cannot read: too many fields, a bad host...): the site's page, or JSON where the
    site answers JSON."""
    message = _("The request could not be read.")
    if wants_json(request):
        return JsonResponse({"detail": str(message)}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))


def server_error(request):
    """Django's 500: the site's page, or JSON where the site answers JSON."""
    if wants_json(request):
        return JsonResponse({"detail": str(_("Something went wrong on our side; it has been logged."))}, status=500)
    return defaults.server_error(request)
