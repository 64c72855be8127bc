"""The home page, the SDG pages, the language switcher and the admin's edit forms."""

import re

import pytest
from django.conf import settings

from members.models import MemberPage
from solutions.models import SolutionPage

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_network_in_figures(small_world, client):
    html = client.get("/").content.decode()
    assert "South-South Network for Public Service Innovation" in html
    assert "<dt>Members</dt><dd>6</dd>" in html
    assert "<dt>Countries</dt><dd>5</dd>" in html  # BGD, COD, PHL, TUR, USA
    assert "<dt>Solutions</dt><dd>2</dd>" in html
    assert "<dt>Exchanges</dt><dd>1</dd>" in html
    assert 'href="/solutions/?goal=16"' in html
    assert "Peace, justice and strong institutions" in html


def test_home_page_on_an_empty_site(site, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "<dt>Solutions</dt><dd>0</dd>" in response.content.decode()


@pytest.mark.parametrize("url", ["/sdg/99/", "/sdg/0/", "/no-such-page/", "/solutions/no-such-solution/"])
def test_unknown_pages_are_404(small_world, client, url):
    assert client.get(url).status_code == 404


def test_language_switcher_sets_a_cookie_and_returns(client, site):
    response = client.get("/language/fr/?next=/solutions/?goal=16")
    assert response.status_code == 302 and response["Location"] == "/solutions/?goal=16"
    assert response.cookies["ssn4psi_language"].value == "fr"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_language_switcher_refuses_to_redirect_elsewhere(client, site, next_url):
    response = client.get("/language/es/", {"next": next_url})
    assert response["Location"] == "/"


def test_unknown_language_is_404(client, site):
    assert client.get("/language/xx/").status_code == 404


def test_health_check(client, db):
    broker = {} if settings.CELERY_TASK_ALWAYS_EAGER else {"broker": "ok"}  # checked when tasks go to workers
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok", **broker}


def test_the_admin_opens_every_page_type_for_editing(small_world, admin_client):
    from network.models import HomePage

    for page in [
        HomePage.objects.get(),
        small_world.directory,
        small_world.catalogue,
        MemberPage.objects.get(key="cod"),
        SolutionPage.objects.get(key="mygov"),
    ]:
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    cod = MemberPage.objects.get(key="cod")
    assert admin_client.get(f"/admin/pages/add/solutions/solutionpage/{cod.pk}/").status_code == 200
    assert admin_client.get(f"/admin/pages/add/members/memberpage/{cod.pk}/").status_code == 200


def test_pages_use_no_external_hosts(small_world, client):
    for url in ["/", "/solutions/", "/members/", "/sdg/", SolutionPage.objects.get(key="mygov").url]:
        html = client.get(url).content.decode()
        assert "fonts.googleapis" not in html
        for attribute in ('src="http', 'href="http'):
            for chunk in html.split(attribute)[1:]:
                # only links a person clicks (websites, repositories) may leave the site, never assets
                assert not chunk.split('"')[0].endswith((".css", ".js", ".woff", ".woff2")), chunk[:80]
        # The public pages work without JavaScript: the one script, same-origin, only adds search suggestions.
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/search-suggest.js" defer>']


def test_every_interface_string_has_a_french_translation():
    from pathlib import Path

    import polib

    catalogue = polib.pofile(str(Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert catalogue.fuzzy_entries() == []


def test_public_pages_speak_french(small_world, client):
    client.cookies["ssn4psi_language"] = "fr"
    html = client.get("/solutions/?dpg=yes").content.decode()
    assert "Filtrer les solutions" in html and "Appliquer les filtres" in html
    assert "1 solution" in html and "Biens publics numériques" in html
    assert "Réseau Sud-Sud pour l’innovation dans le service public" in html
    member = client.get(MemberPage.objects.get(key="cod").url).content.decode()
    assert "Ce que nous voulons apprendre" in member and "Priorité : Haute" in member
    assert "Gouvernement national" in member and "Session virtuelle" in member
    solution = client.get(SolutionPage.objects.get(key="mygov").url).content.decode()
    assert "Le problème résolu" in solution and "Où elle a été adoptée" in solution and "À l’étude" in solution


@pytest.mark.parametrize("length", [0, 1, 5, 10, 260, "x"])
def test_clip_gives_what_truncatechars_gives(length):
    from django.template.defaultfilters import truncatechars

    from ssn4psi.templatetags.ssn4psi_tags import clip

    texts = ["", "short", "exactly ten", "e\u0301te\u0301 " * 30, "x" * 259, "x" * 260, "y" * 261, "word " * 80, 42]
    for text in texts:
        assert clip(text, length) == truncatechars(text, length), (text, length)
