"""The public pages work under their Content-Security-Policy: Chromium reports no violation (no inline script or
style, nothing from another host) while a person browses them, filters, searches and opens the registration and
check-in pages."""

import pytest

pytestmark = pytest.mark.browser


def test_public_pages_break_no_rule_of_their_policy(browser_world, page, make_workshop):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    workshop = make_workshop()
    paths = [
        "/",
        "/solutions/",
        "/solutions/?dpg=yes&goal=9",
        "/members/",
        "/sdg/",
        "/sdg/9/",
        "/search/?q=shop",
        "/workshops/",
        workshop.url,
    ]
    for path in paths:
        response = page.goto(browser_world.url + path, wait_until="networkidle")
        assert "script-src 'self';" in response.headers["content-security-policy"], path
    page.get_by_label("Full name").fill("Amina Kasongo")  # the registration form works
    assert violations == []
