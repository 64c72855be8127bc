"""What a person sees: browsing the catalogue, filtering it, reading a solution and a member profile."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_browse_filter_and_read_a_solution(browser_world, page):
    page.goto(browser_world.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "South-South Network for Public Service Innovation"
    page.get_by_role("link", name="Browse the solutions").click()

    expect(page.get_by_role("heading", name="2 solutions")).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"Digital public goods")).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("heading", name="1 solution", exact=True)).to_be_visible()
    assert "dpg=yes" in page.url
    expect(page.get_by_role("link", name="Remove filter Digital public goods")).to_be_visible()
    page.get_by_role("link", name="ekShop").click()

    assert page.get_by_role("heading", level=1).inner_text() == "ekShop"
    expect(page.get_by_text("Apache-2.0")).to_be_visible()
    expect(page.get_by_role("cell", name="Government of Türkiye")).to_be_visible()
    page.screenshot(path=_artifact("solution-page.png"), full_page=True)


def test_an_empty_filter_result_says_so(browser_world, page):
    page.goto(browser_world.url + "/solutions/?goal=16&dpg=yes")
    expect(page.get_by_text("No solution matches these filters")).to_be_visible()
    page.get_by_role("link", name="Clear all filters").click()
    expect(page.get_by_role("heading", name="2 solutions")).to_be_visible()


def test_member_profile_with_parent_children_and_needs(browser_world, page):
    page.goto(browser_world.url + "/members/")
    page.get_by_label("Kind").select_option("national_government")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="3 members")).to_be_visible()
    page.get_by_role("link", name="Government of Bangladesh").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Government of Bangladesh"
    page.get_by_role("link", name="Aspire to Innovate (a2i)").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Aspire to Innovate (a2i)"
    expect(page.get_by_text("Part of")).to_be_visible()
    expect(page.get_by_role("link", name="myGov").first).to_be_visible()  # among its solutions
    # and among what it shared with others (BARMM adopted myGov)
    expect(page.get_by_role("list", name="Shared with").get_by_role("link", name="myGov")).to_be_visible()
    page.screenshot(path=_artifact("member-page.png"), full_page=True)

    page.goto(browser_world.url + "/members/")
    page.get_by_role("link", name="Government of the Democratic Republic of the Congo").click()
    expect(page.get_by_role("heading", name="One-stop access to public services")).to_be_visible()


def test_switching_language_to_french_and_arabic(browser_world, page):
    page.goto(browser_world.url + "/solutions/")
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("button", name="Appliquer les filtres")).to_be_visible()
    assert "/solutions/" in page.url

    page.get_by_role("link", name="العربية").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.screenshot(path=_artifact("catalogue-ar.png"), full_page=True)


def _artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)
