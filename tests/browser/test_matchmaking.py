"""What a person sees of the matcher: a member page's recommended partners, and staff turning a
recommendation into an exchange in the admin."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_browsing import _artifact

pytestmark = pytest.mark.browser

KENYA = {
    "format": "ssn4psi-catalogue/1",
    "members": [
        {
            "key": "ken-ict",
            "name": "Kenya ICT Authority",
            "kind": "government_agency",
            "country": "KEN",
            "languages": ["en", "fr"],
            "summary": "Kenya's ICT agency.",
        },
        {
            "key": "undp-ken",
            "name": "UNDP Kenya",
            "kind": "international_organisation",
            "country": "KEN",
            "parent": "undp",
        },
        {
            "key": "undp-cod",
            "name": "UNDP DR Congo",
            "kind": "international_organisation",
            "country": "COD",
            "parent": "undp",
        },
    ],
    "solutions": [
        {
            "key": "ecitizen",
            "name": "eCitizen",
            "owner": "ken-ict",
            "summary": "Services online.",
            "sdg_targets": ["16.6"],
            "themes": ["e-services"],
            "maturity": "national",
            "key_figures": [{"value": "5,000+", "label": "government services"}],
        }
    ],
}


@pytest.fixture
def recommended(browser_world):
    from matchmaking.recommendations import refresh_recommendations
    from network.catalogue.importer import import_catalogue

    import_catalogue(KENYA)
    refresh_recommendations()  # the task a worker would run after the commit
    return browser_world


def test_a_member_page_shows_its_recommended_partners(recommended, page):
    page.goto(recommended.url + "/members/")
    page.get_by_role("link", name="Government of the Democratic Republic of the Congo").click()
    section = page.get_by_role("region", name="Recommended partners")
    expect(section).to_be_visible()
    first = section.get_by_role("listitem").first
    expect(first.get_by_role("link", name="Kenya ICT Authority")).to_be_visible()
    expect(first.get_by_role("link", name="eCitizen")).to_be_visible()
    reason = first.get_by_text(re.compile(r"needs “One-stop access to public services” \(SDG 16\.6\)"))
    expect(reason).to_be_visible()
    assert "with 5,000+ government services" in reason.inner_text()
    expect(first.get_by_text("both use French")).to_be_visible()
    assert (
        first.get_by_role("link", name="United Nations Development Programme").is_visible()
        or first.get_by_role("link", name="UNDP").is_visible()
    )
    page.screenshot(path=_artifact("member-recommendations.png"), full_page=True)


@pytest.fixture
def staff(recommended):
    """A member of the Secretariat, and the members' ids, made before the browser starts: the ORM must not
    run while Playwright's event loop does (it would open a connection of its own and leave it open)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from members.models import MemberPage
    from ssn4psi.services import SECRETARIAT_GROUP

    person = get_user_model().objects.create_user("amina", "amina@ssn4psi.org", "a-long-test-password")
    person.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return {key: MemberPage.objects.get(key=key).pk for key in ("ken-ict", "cod")}


def test_staff_turn_a_recommendation_into_an_exchange(recommended, staff, page):
    page.goto(recommended.url + "/admin/login/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    page.get_by_role("link", name="Recommendations").first.click()
    page.get_by_label("Recommendations for").select_option("cod")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"learner=cod"))
    row = page.get_by_role("row", name=re.compile("Kenya ICT Authority"))
    expect(row).to_be_visible()
    expect(row.get_by_role("cell", name=re.compile("One-stop access to public services"))).to_be_visible()
    expect(row.get_by_role("cell", name="UNDP", exact=True)).to_be_visible()
    page.screenshot(path=_artifact("admin-recommendations.png"), full_page=True)
    row.get_by_role("link", name="Create exchange").click()

    # Assertions that wait for the new page (reading values at once raced with its loading under load).
    expect(page.get_by_role("combobox", name="Provider")).to_have_value(str(staff["ken-ict"]))
    expect(page.get_by_role("combobox", name="Learner")).to_have_value(str(staff["cod"]))
    expect(page.get_by_role("checkbox", name="eCitizen")).to_be_checked()
    page.get_by_role("textbox", name="Note").fill("Proposed from the recommendations.")
    page.screenshot(path=_artifact("admin-exchange-create.png"), full_page=True)
    page.get_by_role("button", name=re.compile("Create")).first.click()
    page.wait_for_url(re.compile(r"/admin/exchanges/edit/"))

    # The new exchange: proposed, with its first status change and its note.
    expect(page.get_by_text("Proposed from the recommendations.").first).to_be_visible()
    expect(page.get_by_text("Proposed").first).to_be_visible()
    expect(page.get_by_role("checkbox", name="eCitizen")).to_be_checked()
