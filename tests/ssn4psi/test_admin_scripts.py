"""The admin without inline scripts: Wagtail's initialiser scripts become data blocks (ssn4psi.admin_scripts), any
other inline script is left for the policy to block, and no admin page the staff use keeps one."""

import json
import re

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory
from django.utils.html import escapejs

from ssn4psi.admin_scripts import as_data, json_as_data
from ssn4psi.middleware import AdminScriptsAsDataMiddleware

BLOCK = re.compile(
    r'<script type="application/json" data-wagtail-init="(?P<name>[^"]+)"(?P<new> data-wagtail-init-new)?>'
    r"(?P<data>.*?)</script>",
    re.S,
)
#: An inline script a browser would run: no src, no type or a JavaScript one (checked independently of as_data).
RUNNABLE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"(?!text/javascript|application/javascript)[^\"]*\")[^>]*>\s*\S", re.I
)


def strings(value):
    """Every string in a decoded JSON document (a modal's HTML travels in one)."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in strings(item)]


def blocks(html):
    return [(m["name"], bool(m["new"]), json.loads(m["data"])) for m in BLOCK.finditer(html)]


def test_a_chooser_becomes_a_block_that_constructs_it():
    options = {"modalUrl": "/admin/choose-page/", "modelNames": ["members.memberpage"]}
    html = f'<input id="id_member"><script>new PageChooser("id_member", {json.dumps(options)});</script><p>'
    rewritten, left = as_data(html)
    assert left == []
    assert "<script>" not in rewritten
    assert rewritten.startswith('<input id="id_member">') and rewritten.endswith("<p>")
    assert blocks(rewritten) == [("PageChooser", True, ["id_member", options])]


def test_a_date_picker_becomes_a_block_that_calls_it():
    rewritten, left = as_data('<script>initDateChooser("id_start", {"dayOfWeekStart": 1});</script>')
    assert left == [] and blocks(rewritten) == [("initDateChooser", False, ["id_start", {"dayOfWeekStart": 1}])]


def test_an_inline_panel_becomes_a_block_with_its_options():
    options = {"formsetPrefix": "id_adoptions", "emptyChildFormPrefix": "adoptions-__prefix__", "canOrder": True}
    script = f"""<script>
        (function() {{
            var panel = new InlinePanel(JSON.parse("{escapejs(json.dumps(options))}"));
        }})();
    </script>"""
    rewritten, left = as_data(script)
    assert left == [] and blocks(rewritten) == [("InlinePanel", True, [options])]


def test_the_data_holds_no_markup():
    """As in Django's json_script, <, > and & are escaped in a block: nothing in the data can end it."""
    label = "Ministry <b>&</b> <!-- agency"
    rewritten, _ = as_data(f'<script>new PageChooser("id_x", {{"label": "{label}"}});</script>')
    assert "<b>" not in rewritten and "<!--" not in rewritten and "&" not in rewritten
    assert blocks(rewritten) == [("PageChooser", True, ["id_x", {"label": label}])]


@pytest.mark.parametrize(
    "script",
    [
        "alert(1)",  # not an initialiser
        'new Function("alert(1)")',  # a constructor that is not one of Wagtail's
        'eval("alert(1)")',
        'new PageChooser("id_x", function () { alert(1); })',  # arguments that are not data
        'initDateChooser("id_x", {}); alert(1);',  # a second statement
        'new PageChooser("id_x", {}).open()',
        "window.chooserUrls = {}",
    ],
)
def test_any_other_inline_script_is_left_and_named(script):
    html = f"<script>{script}</script>"
    rewritten, left = as_data(html)
    assert rewritten == html and left == [script[:80]]


def test_files_data_and_templates_are_left_alone():
    html = (
        '<script src="/static/js/admin-init.js"></script>'
        '<script type="application/json" id="wagtail-config">{"a": 1}</script>'
        '<script type="text/template">new PageChooser("x", {})</script>'
    )
    assert as_data(html) == (html, [])


def test_a_script_typed_as_javascript_is_rewritten_too():
    rewritten, left = as_data('<script type="text/javascript">initTimeChooser("id_t", {});</script>')
    assert left == [] and blocks(rewritten) == [("initTimeChooser", False, ["id_t", {}])]


def test_json_documents_are_rewritten_in_every_string():
    document = {"step": "choose", "html": '<div><script>new PageChooser("id_p", {});</script></div>', "n": [1, "x"]}
    rewritten, left = json_as_data(document)
    assert left == [] and rewritten["step"] == "choose" and rewritten["n"] == [1, "x"]
    assert blocks(rewritten["html"]) == [("PageChooser", True, ["id_p", {}])]


def middleware_response(path, response):
    return AdminScriptsAsDataMiddleware(lambda request: response)(RequestFactory().get(path))


def test_the_middleware_rewrites_admin_pages_and_their_json_and_updates_the_length():
    page = HttpResponse('<p>a</p><script>initDateChooser("id_d", {});</script>')
    page["Content-Length"] = str(len(page.content))
    answered = middleware_response("/admin/pages/3/edit/", page)
    assert blocks(answered.content.decode()) == [("initDateChooser", False, ["id_d", {}])]
    assert answered["Content-Length"] == str(len(answered.content))

    modal = JsonResponse({"html": '<script>new ImageChooser("id_i", {});</script>', "step": "chooser"})
    answered = json.loads(middleware_response("/admin/images/chooser/", modal).content)
    assert blocks(answered["html"]) == [("ImageChooser", True, ["id_i", {}])] and answered["step"] == "chooser"


def test_the_middleware_leaves_what_is_not_what_it_says_as_it_came():
    broken = HttpResponse(b'{"html": "<script>', content_type="application/json")
    assert middleware_response("/admin/x/", broken).content == b'{"html": "<script>'
    binary = HttpResponse(b"<script>\xff\xfe", content_type="text/html; charset=utf-8")
    assert middleware_response("/admin/x/", binary).content == b"<script>\xff\xfe"


def test_the_middleware_leaves_public_pages_alone_and_logs_what_it_cannot_rewrite(caplog):
    html = '<script>new PageChooser("id_x", {});</script>'
    assert middleware_response("/solutions/", HttpResponse(html)).content.decode() == html
    answered = middleware_response("/admin/somewhere/", HttpResponse("<script>alert(1)</script>"))
    assert answered.content == b"<script>alert(1)</script>"
    assert "/admin/somewhere/: alert(1)" in caplog.text


@pytest.mark.django_db
def test_no_admin_page_the_staff_use_keeps_an_inline_script(small_world, admin_client, make_workshop):
    """The editors of every page type (inline panels, choosers, date and time pickers), the add forms, the
    listings and the settings: each page's scripts are files or data blocks."""
    from django.urls import reverse

    from matchmaking.models import Exchange
    from members.models import MemberPage
    from solutions.models import SolutionPage

    workshop = make_workshop()
    mygov = SolutionPage.objects.get(key="mygov")
    a2i = MemberPage.objects.get(key="bgd-a2i")
    exchange = Exchange.objects.first()
    editors = [
        f"/admin/pages/{mygov.pk}/edit/",  # key figures and adoptions (inline panels with page choosers)
        f"/admin/pages/{a2i.pk}/edit/",  # needs (an inline panel)
        f"/admin/pages/{workshop.pk}/edit/",  # sessions, materials, outcomes; dates and times
        f"/admin/pages/add/solutions/solutionpage/{a2i.pk}/",
        f"/admin/pages/add/members/memberpage/{a2i.get_parent().pk}/",
        f"/admin/pages/add/workshops/workshoppage/{workshop.get_parent().pk}/",
    ]
    others = [
        "/admin/",
        f"/admin/pages/{a2i.pk}/",
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:add_multiple"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailsites:index"),
        reverse("wagtailredirects:add"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_choose_page"),
        f"/admin/localize/submit/page/{mygov.pk}/",
        f"/admin/pages/{small_world.information['privacy'].pk}/edit/",  # rich text, the role
    ]
    if exchange is not None:
        others += [f"/admin/exchanges/edit/{exchange.pk}/", "/admin/exchanges/new/"]
    for path in editors + others:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            text = "\n".join(strings(json.loads(text)))
        assert RUNNABLE.findall(text) == [], path
        if path in editors:
            assert blocks(text), path  # Wagtail's widgets are there, as data
            assert "js/admin-init" in text, path


@pytest.mark.django_db
def test_the_translation_editor_keeps_no_inline_script(small_world, admin_client):
    """wagtail-localize's editor, whose chooser addresses come from a file's data attributes."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Locale
    from wagtail_localize.operations import translate_object

    from workshops.models import WorkshopIndexPage

    index = WorkshopIndexPage.objects.get()
    french, _ = Locale.objects.get_or_create(language_code="fr")
    translate_object(index, [french], user=get_user_model().objects.get(username="admin"))
    response = admin_client.get(f"/admin/pages/{index.get_translation(french).pk}/edit/")
    text = response.content.decode()
    assert response.status_code == 200 and "js-translation-editor" in text
    assert RUNNABLE.findall(text) == []
    assert 'data-page-chooser="/admin/choose-page/"' in text and "js/translation-chooser-urls" in text


#: Links a crawl of the admin does not follow: they change something or leave the admin's pages.
NOT_FOLLOWED = re.compile(
    r"delete|unpublish|logout|lock|copy|move|revisions|workflow|editing-sessions|export|csv|xlsx|ics|print"
)


@pytest.mark.django_db
def test_a_crawl_of_the_admin_finds_no_inline_script(small_world, admin_client, make_workshop):
    """The admin pages a superuser reaches from the dashboard and its menu (listings, editors, reports, settings,
    this project's own views), breadth first: none keeps a runnable inline script."""
    make_workshop()
    queue, seen, offenders = ["/admin/"], set(), {}
    while queue and len(seen) < 150:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = admin_client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        text = response.content.decode()
        if found := RUNNABLE.findall(text):
            offenders[path] = found
        queue += [
            link
            for link in re.findall(r'"(/admin/[^"#?\s\\]*)"', text)  # links, and the menu's addresses (JSON)
            if link not in seen and not NOT_FOLLOWED.search(link)
        ]
    assert len(seen) > 60  # the crawl went somewhere
    assert offenders == {}
