"""Hostile input never gives a 500: every route of the site's own with hostile values in its URL converters, the
public pages with hostile query parameters, and the public forms with hostile fields. Run on SQLite and, in
CI's second run, on PostgreSQL, where a NUL character or an out-of-range integer fails differently."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

#: Apps whose routes are the site's own (Wagtail's and Django's are theirs to test).
OWN = ("ssn4psi.", "solutions.", "members.", "matchmaking.", "workshops.", "search.", "network.")

#: Values for the converters: the largest id, one digit more, zero; text that is long, empty-ish or encoded.
CONVERTER_VALUES = {
    "id": ["999999999999999999", "9999999999999999999999", "0"],
    "int": ["999999999999999999", "9999999999999999999999", "0"],
    "str": ["%00", "x" * 3000, "..%2F..%2Fetc%2Fpasswd", "%E2%80%AE", "nul%00byte"],
    "slug": ["x" * 3000, "-"],
}

#: Values of query parameters and form fields.
HOSTILE = [
    "99999999999999999999999999",
    "-1",
    "1e309",
    "0x10",
    "nul\x00byte",
    "x" * 20000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "\u202e\ufeff",
    "",
]

PARAMETERS = [
    "page",
    "goal",
    "theme",
    "country",
    "maturity",
    "dpg",
    "member",
    "region",
    "kind",
    "q",
    "type",
    "language",
    "status",
    "next",
    "format",
    "p",  # the sitemap's page
]


def own_routes(patterns=None, prefix=""):
    """(route, name) of every URL pattern the site's own apps define, under any include."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from own_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "__module__", "").startswith(OWN):
            yield prefix + str(pattern.pattern), pattern.name


def fill(route, value_for):
    """`route` with each `<converter:name>` replaced by value_for(converter)."""
    import re

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: value_for(m.group(1) or "str"), route).lstrip("^").rstrip("$")


def no_500(client, method, url, data=None):
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code < 500, f"{method.upper()} {url[:200]} -> {response.status_code}"
    return response


@pytest.fixture
def clients(small_world, admin_user):
    anonymous = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(admin_user)
    return anonymous, staff


def test_the_site_has_routes_with_converters_to_try():
    routes = [route for route, _name in own_routes() if "<" in route]
    assert len(routes) >= 15, routes


def test_hostile_values_in_url_converters(clients):
    tried = 0
    for route, _name in own_routes():
        if "<" not in route:
            continue
        for converter, values in CONVERTER_VALUES.items():
            for value in values:
                url = fill(route, lambda kind, value=value, converter=converter: value if kind == converter else "1")
                for client in clients:
                    no_500(client, "get", url)
                    no_500(client, "post", url, {"action": "x"})
                    tried += 1
    assert tried > 100


@pytest.mark.parametrize(
    "page",
    ["/", "/solutions/", "/members/", "/workshops/", "/search/", "/sdg/", "/sdg/16/", "/privacy/", "/sitemap.xml"],
)
def test_hostile_query_parameters_on_public_pages(page, clients, workshop_factory_page):
    anonymous, _staff = clients
    for name in PARAMETERS:
        for value in HOSTILE:
            no_500(anonymous, "get", page, {name: value})
        no_500(anonymous, "get", page, {name: HOSTILE})  # every value at once, repeated


@pytest.fixture
def workshop_factory_page(make_workshop):
    return make_workshop()


VALID = {
    "name": "Amina Diallo",
    "email": "amina@gouv.cd",
    "organisation": "Ministère du Numérique",
    "country": "COD",
    "privacy_consent": "on",
}


def test_hostile_registration_forms(clients, workshop_factory_page):
    from workshops.forms import RegistrationForm

    anonymous, _staff = clients
    workshop = workshop_factory_page
    fields = list(RegistrationForm(workshop=workshop).fields)
    valid = VALID
    for field in fields:
        for value in HOSTILE:
            no_500(anonymous, "post", workshop.url, {**valid, field: value})
    no_500(anonymous, "post", f"/workshops/{workshop.pk}/delegation/", {"name": "\x00", "form-TOTAL_FORMS": "99999999"})
    for value in HOSTILE:  # "Send me my links"
        no_500(anonymous, "post", f"/workshops/{workshop.pk}/links/", {"email": value})
        no_500(anonymous, "post", f"/workshops/{workshop.pk}/links/", {"email": "amina@gouv.cd", "website_url": value})


def test_hostile_language_switch(clients):
    anonymous, _staff = clients
    for value in HOSTILE:
        no_500(anonymous, "get", "/language/fr/", {"next": value})
        no_500(anonymous, "post", "/language/fr/", {"next": value})


def test_a_nul_character_is_refused_with_a_readable_page(clients):
    anonymous, _staff = clients
    for response in (
        anonymous.get("/search/", {"q": "myGov\x00"}),
        anonymous.get("/solutions/", {"goal\x00": "1"}),
        anonymous.post("/language/fr/", {"next": "/\x00"}),
    ):
        assert response.status_code == 400
        assert "(NUL)" in response.content.decode() and 'role="alert"' in response.content.decode()
    assert anonymous.get("/search/", {"q": "myGov"}).status_code == 200


def test_free_text_is_limited_and_a_long_one_loses_nothing_else(clients, workshop_factory_page):
    from workshops.feedback import FeedbackForm
    from workshops.models import Registration

    anonymous, _staff = clients
    response = anonymous.post(workshop_factory_page.url, {**VALID, "accessibility_needs": "x" * 1_000_000})
    html = response.content.decode()
    assert response.status_code == 400 and "at most 2000 characters" in html
    assert "Amina Diallo" in html  # what was typed is kept in the form
    assert not Registration.objects.exists()
    feedback = FeedbackForm(data={"rating": "5", "most_useful": "x" * 2001, "next_steps": "Pilot it."})
    assert not feedback.is_valid() and "most_useful" in feedback.errors
    assert FeedbackForm(data={"rating": "5", "most_useful": "x" * 2000, "next_steps": ""}).is_valid()
