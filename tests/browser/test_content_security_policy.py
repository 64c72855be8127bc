"""The pages work under their Content-Security-Policy: Chromium reports no violation (no inline script or style,
nothing from another host) while a person browses the public pages, filters, searches, and while an editor works
in the admin, whose policy refuses inline scripts too (Wagtail's arrive as data, ssn4psi.admin_scripts).
(A workshop page with its form is checked by the unit tests and the template check; a workshop made for this test
left a PostgreSQL session open past the live server, which the test database's teardown refused.)"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_public_pages_break_no_rule_of_their_policy(browser_world, page):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    paths = [
        "/",
        "/solutions/",
        "/solutions/?dpg=yes&goal=9",
        "/members/",
        "/sdg/",
        "/sdg/9/",
        "/search/?q=shop",
        "/workshops/",
        "/about/",
        "/privacy/",
    ]
    for path in paths:
        response = page.goto(browser_world.url + path, wait_until="networkidle")
        assert "script-src 'self';" in response.headers["content-security-policy"], path
    assert violations == []


@pytest.fixture
def editor(browser_world):
    """A member of the Secretariat, made before the browser starts."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from solutions.models import SolutionPage
    from ssn4psi.services import SECRETARIAT_GROUP

    person = get_user_model().objects.create_user("amina", "amina@ssn4psi.org", "a-long-test-password")
    person.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return browser_world, SolutionPage.objects.get(key="mygov").pk


def test_the_page_editor_works_under_the_admin_policy(editor, page):
    """Inline panels, choosers and the chooser modal start from the data blocks, for the forms in the page and for
    one added in the browser; no inline script is refused, because none is left."""
    server, mygov = editor
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server.url + "/admin/login/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    page.wait_for_url(re.compile(r"/admin/$"))

    response = page.goto(server.url + f"/admin/pages/{mygov}/edit/", wait_until="networkidle")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    adoptions = page.locator("#id_adoptions-FORMS > [id^=inline_child_adoptions-]")
    before = adoptions.count()
    page.get_by_role("button", name="Add Adoption").click()  # InlinePanel, started from its data block
    expect(adoptions).to_have_count(before + 1)
    added = adoptions.last
    added.get_by_role("button", name=re.compile("Choose")).first.click()  # the new form's chooser, from its block
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    expect(modal.get_by_role("heading", name=re.compile("Choose"))).to_be_visible()
    assert problems == []
