"""Whole-page caching (ssn4psi.page_cache): anonymous pages kept and served again, forgotten at every change that
shows on them, per language; forms and personal pages untouched; HTTP validators; the cache server down."""

import datetime
import os
import re
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from members.models import MemberPage
from solutions.models import SolutionPage
from ssn4psi import page_cache
from tests.workshops.conftest import details, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

#: A Redis nobody listens on: every call fails at once (connection refused).
#: The caches as production sets them up (ssn4psi/settings/base.py), on a port where no server listens.
_CLOSED = {"LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
CLOSED_REDIS = {
    "default": {"BACKEND": "ssn4psi.cache.ResilientRedisCache", **_CLOSED},
    "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **_CLOSED},
}


def solution(key):
    return SolutionPage.objects.get(key=key)


def member(key):
    return MemberPage.objects.get(key=key)


def fetch(client, url, **headers):
    """A GET, its body decoded, and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    response.text = response.content.decode()
    response.queries = len(queries)
    return response


def kept(client, url, **headers):
    """GET `url` twice; the second must come from the cache, without a query. Returns the second response."""
    first = fetch(client, url, **headers)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss", url
    second = fetch(client, url, **headers)
    assert second["X-Page-Cache"] == "hit", url
    assert second.queries == 0, url
    assert second.content == first.content
    return second


@pytest.fixture
def main_pages(small_world):
    """The main public pages of the small world, by name."""
    return {
        "home": "/",
        "catalogue": "/solutions/",
        "filtered catalogue": "/solutions/?goal=16&maturity=national&dpg=no",
        "directory": "/members/",
        "solution page": solution("mygov").url,
        "member page": member("bgd-a2i").url,
        "workshops": "/workshops/",
    }


@pytest.fixture
def workshop(small_world):
    """DR Congo's knowledge-sharing session in ten days, registration open, 30 places."""
    from network.site import ensure_site
    from workshops.models import WorkshopPage

    start = timezone.now() + datetime.timedelta(days=10)
    return ensure_site().workshops.add_child(
        instance=WorkshopPage(
            title="DR Congo and a2i: knowledge-sharing session",
            kind="knowledge_sharing",
            format="virtual",
            start=start,
            end=start + datetime.timedelta(hours=2),
            time_zone="Africa/Kinshasa",
            summary="a2i presents myGov.",
            capacity=30,
        )
    )


# -- kept and served again ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["home", "catalogue", "filtered catalogue", "directory", "solution page", "member page", "workshops"]
)
def test_main_pages_are_served_from_the_cache_the_second_time(main_pages, client, name):
    response = kept(client, main_pages[name])
    assert "<html" in response.text


def test_a_page_is_kept_per_language(small_world, client):
    english = kept(client, "/solutions/")
    client.cookies["ssn4psi_language"] = "fr"
    french = fetch(client, "/solutions/")
    assert french["X-Page-Cache"] == "miss"  # not the English page
    assert '<html lang="fr"' in french.text and '<html lang="en"' in english.text
    spanish = kept(Client(headers={"Accept-Language": "es"}), "/solutions/")
    assert '<html lang="es"' in spanish.text
    client.cookies["ssn4psi_language"] = "en"
    assert fetch(client, "/solutions/").content == english.content


def test_the_query_string_is_part_of_the_key_in_any_order(small_world, client):
    kept(client, "/solutions/?goal=16&maturity=national")
    assert fetch(client, "/solutions/?maturity=national&goal=16")["X-Page-Cache"] == "hit"
    other = fetch(client, "/solutions/?goal=5")
    assert other["X-Page-Cache"] == "miss" and "ekShop" in other.text and "myGov" not in other.text


def test_the_host_is_part_of_the_key(small_world, client):
    kept(client, "/", HTTP_HOST="one.example.org")
    assert fetch(client, "/", HTTP_HOST="two.example.org")["X-Page-Cache"] == "miss"


# -- never stale -------------------------------------------------------------------------------------------------------


def test_publishing_an_edited_page_shows_at_once(main_pages, client):
    kept(client, main_pages["solution page"])
    kept(client, "/solutions/")
    page = solution("mygov")
    page.title = "myGov 2"
    page.summary = "Every public service, one portal."
    page.save_revision().publish()
    assert "Every public service, one portal." in fetch(client, main_pages["solution page"]).text
    assert "myGov 2" in fetch(client, "/solutions/").text


def test_a_draft_is_not_shown_and_its_publication_is(main_pages, client):
    page = solution("mygov")
    page.summary = "A draft summary."
    page.save_revision()
    assert "A draft summary." not in kept(client, main_pages["solution page"]).text
    page.get_latest_revision().publish()
    assert "A draft summary." in fetch(client, main_pages["solution page"]).text


def test_unpublishing_takes_the_page_and_its_listings_away(main_pages, client):
    kept(client, main_pages["solution page"])
    assert "myGov" in kept(client, "/solutions/").text
    solution("mygov").unpublish()
    assert fetch(client, main_pages["solution page"]).status_code == 404
    assert "myGov" not in fetch(client, "/solutions/").text


def test_moving_a_page_moves_its_url(small_world, client):
    barmm = member("phl-barmm")
    old_url = barmm.url
    kept(client, old_url)
    assert "Bangsamoro" not in kept(client, member("bgd").url).text
    barmm.move(member("bgd"), pos="last-child")
    new_url = member("phl-barmm").url
    assert new_url != old_url
    moved_away = fetch(client, old_url)  # Wagtail's redirect to the new place, not the page kept
    assert moved_away.status_code == 301 and moved_away["Location"] == new_url
    assert fetch(client, new_url).status_code == 200
    assert "Bangsamoro" in fetch(client, member("bgd").url).text  # now a member under Bangladesh


def test_deleting_a_page_takes_it_away(main_pages, client):
    kept(client, main_pages["solution page"])
    kept(client, "/solutions/")
    solution("mygov").delete()
    assert fetch(client, main_pages["solution page"]).status_code == 404
    assert "myGov" not in fetch(client, "/solutions/").text


def test_importing_a_changed_catalogue_shows_at_once(main_pages, client, small_world_document):
    from network.catalogue.importer import import_catalogue

    kept(client, main_pages["solution page"])
    kept(client, main_pages["member page"])
    small_world_document["solutions"][0]["summary"] = "Imported again, with a new summary."
    small_world_document["members"][1]["summary"] = "a2i, as imported again."
    import_catalogue(small_world_document)
    assert "Imported again, with a new summary." in fetch(client, main_pages["solution page"]).text
    assert "a2i, as imported again." in fetch(client, main_pages["member page"]).text


def test_recomputed_recommendations_show_at_once(small_world, client):
    from matchmaking.recommendations import refresh_recommendations

    url = member("tur").url
    assert "No partner is recommended yet" in kept(client, url).text
    refresh_recommendations()
    after = fetch(client, url)
    assert "No partner is recommended yet" not in after.text
    recommended = re.sub(r"\s+", " ", after.text.split("Recommended partners", 1)[1].split("</section>", 1)[0])
    assert "Aspire to Innovate (a2i)" in recommended and "myGov" in recommended


def test_an_exchange_changing_status_shows_at_once(main_pages, client, secretary):
    from matchmaking.models import Exchange
    from matchmaking.services import change_status

    assert "Knowledge shared" in kept(client, main_pages["member page"]).text
    change_status(Exchange.objects.get(key="cod-a2i"), "agreement_signed", user=secretary)
    text = fetch(client, main_pages["member page"]).text
    assert "Agreement signed" in text and "Knowledge shared —" not in text


def test_an_exchange_saved_elsewhere_shows_at_once(main_pages, client):
    from matchmaking.models import Exchange

    kept(client, main_pages["member page"])
    exchange = Exchange.objects.get(key="cod-a2i")
    exchange.summary = "Saved from the admin."
    exchange.save()
    assert "Saved from the admin." in fetch(client, main_pages["member page"]).text


def test_a_registration_changing_the_places_left_shows_at_once(workshop, client):
    from workshops import services
    from workshops.models import Session

    session = Session.objects.create(
        workshop=workshop, title="Site visit", start=workshop.start, end=workshop.end, capacity=5
    )
    registration = services.register(workshop, sessions=[session], **details(1))
    services.confirm(registration)
    # Registration closed: the page has no form, so it is kept, and shows the session's places.
    workshop.registration_closes = timezone.now() - datetime.timedelta(hours=1)
    workshop.save_revision().publish()
    assert "(4 places left)" in re.sub(r"\s+", " ", kept(client, workshop.url).text)
    services.cancel(registration)
    page = fetch(client, workshop.url)
    assert page["X-Page-Cache"] == "miss"
    assert "(5 places left)" in re.sub(r"\s+", " ", page.text)


def test_a_view_restriction_hides_a_kept_page(main_pages, client):
    from wagtail.models import PageViewRestriction

    assert "All government services in one place." in kept(client, main_pages["solution page"]).text
    PageViewRestriction.objects.create(page=solution("mygov"), restriction_type=PageViewRestriction.LOGIN)
    response = fetch(client, main_pages["solution page"])
    assert response.status_code == 302 and "/login/" in response["Location"]


def max_age(response):
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))


def test_a_page_that_changes_with_time_alone_is_kept_until_then(workshop, client, monkeypatch):
    opens = timezone.now() + datetime.timedelta(seconds=45)
    workshop.registration_opens = opens
    workshop.save_revision().publish()
    page = kept(client, workshop.url)
    assert "Registration is closed." in page.text
    assert 0 < max_age(page) <= 45  # a proxy keeps it no longer either

    class OnceRegistrationOpened:
        @staticmethod
        def time():
            return opens.timestamp() + 1

    monkeypatch.setattr(page_cache, "time", OnceRegistrationOpened)
    again = fetch(client, workshop.url)
    assert again.get("X-Page-Cache") != "hit" and again.queries > 0


def test_the_workshop_list_is_kept_until_the_next_workshop_ends(workshop, client):
    workshop.start = timezone.now() - datetime.timedelta(hours=1)
    workshop.end = timezone.now() + datetime.timedelta(seconds=30)
    workshop.save_revision().publish()
    assert 0 < max_age(kept(client, "/workshops/")) <= 30


def test_a_change_through_content_changed_alone_shows_at_once(main_pages, client):
    kept(client, main_pages["solution page"])
    SolutionPage.objects.filter(key="mygov").update(summary="Changed by an UPDATE statement.")
    assert fetch(client, main_pages["solution page"])["X-Page-Cache"] == "hit"  # no signal: not seen...
    page_cache.content_changed()
    assert "Changed by an UPDATE statement." in fetch(client, main_pages["solution page"]).text  # ...until said


def test_a_transaction_moves_the_generation_at_once_and_once_more_when_it_commits(
    small_world, django_capture_on_commit_callbacks
):
    from django.db import transaction

    moves = []

    def moved(**kwargs):
        moves.append(kwargs)

    page_cache.pages_changed.connect(moved, dispatch_uid="test-moves")
    try:
        before = page_cache.current_generation()
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            for _ in range(5):
                page_cache.content_changed()
            during = page_cache.current_generation()  # the writer's next read: moved at once
            again = page_cache.current_generation()  # nothing new since: not moved again
        after = page_cache.current_generation()
    finally:
        page_cache.pages_changed.disconnect(dispatch_uid="test-moves")
    assert during[0] != before[0] and again == during
    assert after[0] != during[0]  # moved again on commit, for pages built meanwhile by other processes
    assert len(callbacks) == 5 and len(moves) == 1  # one move for the whole transaction


# -- not for everyone's eyes --------------------------------------------------------------------------------------


def test_signed_in_people_get_pages_built_for_them(main_pages, client, secretary):
    kept(Client(), main_pages["solution page"])
    client.force_login(secretary)
    for _ in range(2):
        response = fetch(client, main_pages["solution page"])
        assert response.status_code == 200 and response.queries > 0
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_registration_form_works_for_two_visitors(workshop):
    visitors = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    tokens = []
    for visitor in visitors:
        page = fetch(visitor, workshop.url)
        assert page.status_code == 200 and "X-Page-Cache" not in page
        assert "private" in page["Cache-Control"]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1))
    assert tokens[0] != tokens[1]
    for number, (visitor, token) in enumerate(zip(visitors, tokens, strict=True)):
        response = visitor.post(workshop.url, {**form_data(number), "csrfmiddlewaretoken": token})
        assert response.status_code == 200
        assert "Check your e-mail" in response.content.decode()
    assert workshop.registrations.count() == 2
    # The token one visitor got is refused to another (no cookie to match it): a form is never shared.
    stranger = Client(enforce_csrf_checks=True)
    assert stranger.post(workshop.url, {**form_data(5), "csrfmiddlewaretoken": tokens[0]}).status_code == 403


def test_personal_pages_are_private_and_not_stored(workshop, client, focal_point):
    from workshops import services
    from workshops.tokens import make_token

    registration = services.register(workshop, **details(1))
    for url in (
        f"/registrations/confirm/{make_token(registration, 'confirm')}/",
        f"/registrations/manage/{make_token(registration, 'manage')}/",
        f"/registrations/manage/{make_token(registration, 'manage')}/data/",
        f"/registrations/manage/{make_token(registration, 'manage')}/data.json",
    ):
        for _ in range(2):
            response = fetch(client, url)
            assert response.status_code == 200, url
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives, url
            assert "X-Page-Cache" not in response and "ETag" not in response
    signed_in = Client()
    signed_in.force_login(focal_point)
    response = signed_in.get(f"/workshops/{workshop.pk}/delegation/")
    assert response.status_code == 200 and {"private", "no-store"} <= {
        d.strip() for d in response["Cache-Control"].split(",")
    }


def test_the_admin_is_never_kept(site, client):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200 and "X-Page-Cache" not in response


# -- HTTP ----------------------------------------------------------------------------------------------------------


def test_public_pages_say_how_long_a_proxy_may_keep_them(main_pages, client):
    response = fetch(client, main_pages["catalogue"])
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60"}
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert "Set-Cookie" not in response and not response.cookies


@override_settings(PAGE_CACHE_MAX_AGE=5)
def test_the_max_age_is_a_setting(small_world, client):
    assert fetch(client, "/")["Cache-Control"] in ("public, max-age=5", "max-age=5, public")


def test_a_conditional_get_gets_304(main_pages, client):
    first = fetch(client, main_pages["member page"])
    again = client.get(main_pages["member page"], HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    other = client.get(main_pages["member page"], HTTP_IF_NONE_MATCH='"0123"')
    assert other.status_code == 200


def test_the_etag_is_the_body_s(main_pages, client):
    first = fetch(client, main_pages["solution page"])
    page_cache.move_generation()
    rebuilt = fetch(client, main_pages["solution page"])
    assert rebuilt["X-Page-Cache"] == "miss" and rebuilt["ETag"] == first["ETag"]  # same body, same ETag
    page = solution("mygov")
    page.summary = "Another summary."
    page.save_revision().publish()
    assert fetch(client, main_pages["solution page"])["ETag"] != first["ETag"]


def set_generation_moved(seconds_ago):
    """Make the generation look as if it moved `seconds_ago` seconds ago (Last-Modified is when it moved)."""
    token, _moved = page_cache.current_generation()
    moved = time.time() - seconds_ago
    caches["pages"].set(page_cache.GENERATION_KEY, (token, moved), timeout=None)
    return int(moved)


def test_last_modified_is_when_the_content_last_changed(main_pages, client):
    moved = set_generation_moved(3600)
    response = fetch(client, main_pages["member page"])
    assert response["Last-Modified"] == http_date(moved)
    assert client.get(main_pages["member page"], HTTP_IF_MODIFIED_SINCE=http_date(moved)).status_code == 304
    assert client.get(main_pages["member page"], HTTP_IF_MODIFIED_SINCE=http_date(moved - 1)).status_code == 200
    page = member("bgd-a2i")
    page.summary = "Changed."
    page.save_revision().publish()
    set_generation_moved(10)  # the new generation, as seen a few seconds later
    changed = client.get(main_pages["member page"], HTTP_IF_MODIFIED_SINCE=http_date(moved))
    assert changed.status_code == 200 and "Changed." in changed.content.decode()


def test_no_last_modified_in_the_second_the_content_changed(main_pages, client):
    # Two changes within that second would share one date: the ETag alone says whether a copy is current.
    set_generation_moved(0)
    response = fetch(client, main_pages["member page"])
    assert "Last-Modified" not in response and response["ETag"]


# -- cache server down -----------------------------------------------------------------------------------------------

#: The health check names the broker too where tasks go to workers (CI's second run).
BROKER_OK = {} if django_settings.CELERY_TASK_ALWAYS_EAGER else {"broker": "ok"}


def test_the_health_check_names_what_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", **BROKER_OK}
    assert "no-store" in response["Cache-Control"] and "X-Page-Cache" not in response


def test_the_health_check_names_the_database_when_it_is_down(db, client, monkeypatch):
    from django.db import OperationalError, connection

    def refuse():
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down: OperationalError", "cache": "ok", **BROKER_OK}
    assert "127.0.0.1" not in response.content.decode()  # the details go to the log only


def test_the_health_check_view_names_the_cache_when_it_is_down(db):
    from ssn4psi.views import health

    with override_settings(CACHES=CLOSED_REDIS):
        response = health(RequestFactory().get("/healthz"))
    assert response.status_code == 503
    assert __import__("json").loads(response.content) == {
        "status": "down",
        "database": "ok",
        "cache": "down: ConnectionError",
        **BROKER_OK,
    }


def test_with_the_cache_down_the_middleware_builds_the_page(db):
    built = []

    def view(request):
        built.append(request.path)
        return HttpResponse("<p>Built from the database.</p>", content_type="text/html; charset=utf-8")

    middleware = page_cache.PageCacheMiddleware(view)
    with override_settings(CACHES=CLOSED_REDIS):
        responses = [middleware(RequestFactory().get("/solutions/")) for _ in range(2)]
    assert built == ["/solutions/", "/solutions/"]
    for response in responses:
        assert response.status_code == 200 and response.content == b"<p>Built from the database.</p>"
        assert "X-Page-Cache" not in response and response["Cache-Control"] == "private"


def test_a_page_kept_before_an_outage_is_not_served_after_changes_made_during_it(main_pages, client):
    kept(client, main_pages["solution page"])
    with override_settings(CACHES=CLOSED_REDIS):
        page_cache.move_generation()  # a change while the cache is down cannot move the generation...
    # ...so the first call that reaches the cache again moves it.
    assert fetch(client, main_pages["solution page"])["X-Page-Cache"] == "miss"


def test_with_the_cache_down_the_health_check_and_a_page_answer_through_the_stack(small_world, client):
    kept(client, "/sdg/3/")  # kept before the outage
    with override_settings(CACHES=CLOSED_REDIS):
        visitor = Client()  # a client loads the middleware at its first request
        health = visitor.get("/healthz")
        page = fetch(visitor, "/sdg/3/")
    assert health.status_code == 503
    assert health.json() == {"status": "down", "database": "ok", "cache": "down: ConnectionError", **BROKER_OK}
    assert page.status_code == 200 and "X-Page-Cache" not in page and page.queries > 0
    assert "Good health and well-being" in page.text


def test_the_health_check_answers_503_when_the_cache_is_down(db, client):
    with override_settings(CACHES=CLOSED_REDIS):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "cache": "down: ConnectionError", **BROKER_OK}


def test_pages_are_built_from_the_database_when_the_cache_is_down(main_pages, client):
    with override_settings(CACHES=CLOSED_REDIS):
        for url in main_pages.values():
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response


# -- a real Redis ---------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no Redis server to test against")
def test_pages_are_kept_in_redis_and_forgotten(main_pages, client):
    options = {"LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}", "TIMEOUT": 60}
    redis = {
        "default": {"BACKEND": "ssn4psi.cache.ResilientRedisCache", **options},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **options},
    }
    with override_settings(CACHES=redis):
        kept(client, main_pages["catalogue"])
        page = solution("mygov")
        page.title = "myGov in Redis"
        page.save_revision().publish()
        assert "myGov in Redis" in fetch(client, main_pages["catalogue"]).text
        caches["pages"].delete(page_cache.GENERATION_KEY)


def test_the_default_cache_answers_as_an_empty_one_while_redis_is_down():
    """Wagtail reads the sites' root paths from the default cache on every page: an outage must not raise."""
    from ssn4psi.cache import ResilientRedisCache

    cache = ResilientRedisCache(_CLOSED["LOCATION"], {"OPTIONS": _CLOSED["OPTIONS"]})
    assert cache.get("key") is None and cache.get("key", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {} and cache.has_key("key") is False
    assert cache.add("key", 1) is False and cache.set("key", 1) is None and cache.delete("key") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    with pytest.raises(ValueError):
        cache.incr("counter")
