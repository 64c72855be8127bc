"""axe-core on the main public pages, at a desktop's width and a phone's (360 px): no serious or critical violation.

axe-core's script comes from the axe-playwright-python package (installed with the development requirements, so
no npm is needed); it is injected into a browser context that lets it past the site's Content-Security-Policy."""

import os
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.browser,
    # The HTML axe-core checks is the same on every database; on PostgreSQL, something in these tests' live server
    # keeps a connection to the test database open after they end (not found yet), and the database cannot be
    # dropped at the end of the run: they run on SQLite (the first `make test` of CI).
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="run on SQLite only: on PostgreSQL a live-server connection outlives these tests (unresolved)",
    ),
]

#: Pages by how a test finds their address: a path, or the key of a member or solution page.
PAGES = ["/", "/solutions/", "/members/", "/workshops/", "/sdg/", "/sdg/16/", "/data/", "/network/",
         "/network/?region=africa&goal=16", "/about/", "/contact/", "/privacy/"]  # fmt: skip
PAGE_KEYS = ["mygov", "ekshop", "bgd-a2i", "cod", "phl-barmm"]


def axe_script():
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


def serious_violations(context, url):
    """axe-core's serious and critical violations on `url`: {rule: [the first elements' selectors]}."""
    page = context.new_page()
    try:
        # Every request of the page ends before it is closed: one still being served when the test ends would keep
        # its database connection, and on PostgreSQL the test database could not be dropped.
        page.goto(url, wait_until="networkidle")
        page.add_script_tag(path=str(axe_script()))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    return {
        violation["id"]: [node["target"] for node in violation["nodes"][:3]]
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    }


def page_urls(live_server):
    from members.models import MemberPage
    from solutions.models import SolutionPage

    urls = [live_server.url + path for path in PAGES]
    for model in (SolutionPage, MemberPage):
        urls += [live_server.url + page.url for page in model.objects.filter(key__in=PAGE_KEYS)]
    return urls


@pytest.mark.parametrize("width", [1280, 360])
def test_main_pages_have_no_serious_accessibility_violation(page, browser_world, width):
    context = page.context.browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    try:
        found = {url: serious_violations(context, url) for url in page_urls(browser_world)}
    finally:
        context.close()

    assert len(found) == len(PAGES) + len(PAGE_KEYS)
    assert {url: problems for url, problems in found.items() if problems} == {}


def test_the_check_finds_a_violation(page, browser_world):
    """The check itself works: an image without a text alternative is a critical violation."""
    context = page.context.browser.new_context(bypass_csp=True)
    try:
        probe = context.new_page()
        probe.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main></html>')
        probe.add_script_tag(path=str(axe_script()))
        result = probe.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()

    assert "image-alt" in {v["id"] for v in result["violations"] if v["impact"] == "critical"}
