"""What a person does with the site search: type in the header box (suggestions appear), search, narrow by two
facets, open a result, switch the language."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_browsing import _artifact

pytestmark = pytest.mark.browser


def test_search_narrow_open_and_switch_language(page, live_server):
    page.goto(live_server.url + "/")
    box = page.get_by_role("search").get_by_label("Search the site")
    box.press_sequentially("eks", delay=50)
    suggestion = page.locator(".search-suggestions a", has_text="ekShop")
    expect(suggestion).to_be_visible()

    box.fill("services")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=services"))
    expect(page.get_by_role("heading", name=re.compile(r"\d+ results?"))).to_be_visible()
    page.screenshot(path=_artifact("search-results.png"), full_page=True)

    page.get_by_role("group", name="Type").get_by_label(re.compile("Solutions")).check()
    page.get_by_role("group", name="SDG goal").get_by_label(re.compile(r"16\. Peace")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"type=solution"))
    expect(page).to_have_url(re.compile(r"goal=16"))
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.locator(".search-hit mark").first).to_have_text(re.compile("services", re.I))
    page.screenshot(path=_artifact("search-narrowed.png"), full_page=True)

    page.locator(".search-hit").get_by_role("link", name="myGov").click()
    expect(page.get_by_role("heading", level=1, name="myGov")).to_be_visible()

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1, name="myGov")).to_be_visible()

    page.goto(live_server.url + "/search/?q=services")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.screenshot(path=_artifact("search-french.png"), full_page=True)
