"""The public pages work under their Content-Security-Policy: Chromium reports no violation (no inline script or
style, nothing from another host) while a person browses them, filters, searches. (A workshop page with its form is
checked by the unit tests and the template check; a workshop made for this test left a PostgreSQL session open
past the live server, which the test database's teardown refused.)"""

import pytest

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
    ]
    for path in paths:
        response = page.goto(browser_world.url + path, wait_until="networkidle")
        assert "script-src 'self';" in response.headers["content-security-policy"], path
    assert violations == []
