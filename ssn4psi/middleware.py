"""Requests refused before any view reads them, and what every response says to the browser."""

import json
import logging

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ssn4psi.admin_scripts import as_data, json_as_data

logger = logging.getLogger(__name__)

#: Form bodies whose fields are read here; other bodies (JSON, files) are left to their views.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_null(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


def wants_json(request):
    """Whether `request` is for a part of the site that answers JSON, errors included (JSON_ERROR_PATHS: the
    open-data API)."""
    return request.path.startswith(tuple(settings.JSON_ERROR_PATHS))


class RefuseNullCharactersMiddleware:
    """Answer 400 to a path, query string or form holding a NUL character: no text anyone types has one, and
    PostgreSQL cannot store or compare it (a search or a form with one failed with a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        has_form = request.method == "POST" and request.content_type in FORM_TYPES
        if "\x00" in request.path or _has_null(request.GET) or (has_form and _has_null(request.POST)):
            message = _("The request holds a character that no text can contain (NUL). Check what you typed.")
            if wants_json(request):
                return JsonResponse({"detail": str(message)}, status=400)
            html = render_to_string("400.html", {"message": message}, request=request)
            return HttpResponseBadRequest(html)
        return self.get_response(request)


def _is_admin(request):
    """Whether `request` is for the admin (a path under CONTENT_SECURITY_POLICY_ADMIN_PATHS)."""
    return request.path.startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS))


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response: scripts, styles, images, fonts and connections from the site
    itself only, and no inline script, so that text someone managed to slip into a page cannot run. The public
    pages allow no inline style either; the admin (paths under CONTENT_SECURITY_POLICY_ADMIN_PATHS) allows the
    inline styles Wagtail's interface sets, and its inline scripts are rewritten as data
    (AdminScriptsAsDataMiddleware). The policies are the settings CONTENT_SECURITY_POLICY and
    CONTENT_SECURITY_POLICY_ADMIN; a response that sets its own keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = _is_admin(request)
            policy = settings.CONTENT_SECURITY_POLICY_ADMIN if admin else settings.CONTENT_SECURITY_POLICY
            if policy:
                response["Content-Security-Policy"] = policy
        return response


class AdminScriptsAsDataMiddleware:
    """On the admin's pages and JSON answers (a modal's HTML travels in JSON), Wagtail's inline initialiser scripts
    rewritten as data blocks that a file runs (ssn4psi.admin_scripts), so that the admin's Content-Security-Policy
    needs no 'unsafe-inline' for scripts. An inline script it does not know is left for the policy to block, and
    logged with the page's path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_admin(request) or response.streaming or b"<script" not in response.content:
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        try:
            if content_type == "text/html":
                html, left = as_data(response.content.decode(response.charset))
                content = html.encode(response.charset)
            elif content_type == "application/json":
                document, left = json_as_data(json.loads(response.content))
                content = json.dumps(document).encode()
            else:
                return response
        except ValueError:  # not the text or the JSON it says it is: left as it came
            return response
        for script in left:
            logger.warning("An inline script the admin's policy blocks, on %s: %s", request.path, script)
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))
        return response
