"""Every consent box links the privacy notice: the registration form, and the confirmation page where a delegate
registered by their focal point gives their own consent; plain words while no privacy notice is live and
public."""

import re

import pytest

from ssn4psi.models import InformationPage
from tests.visibility import hide
from tests.workshops.conftest import form_data
from workshops import delegations
from workshops.tokens import make_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

LINKED = 'the workshop (<a href="/privacy/">privacy notice</a>).'
PLAIN = "I agree that the organisers keep these details to run the workshop (privacy notice)."


def consent_label(html):
    """The <label> of the consent box."""
    return re.search(r'<label for="id_privacy_consent">(.*?)</label>', html, re.S).group(1)


@pytest.fixture
def workshop(make_workshop):
    return make_workshop()


@pytest.fixture
def delegate_confirm_url(workshop, focal_point):
    from members.models import MemberPage

    person = {"name": "Delegate", "email": "delegate@gouv.cd", "role": "delegate", "language": "fr"}
    [registration] = delegations.register_delegation(
        workshop, MemberPage.objects.get(key="cod"), [person], user=focal_point
    )
    return f"/registrations/confirm/{make_token(registration, 'confirm')}/"


def test_the_registration_forms_consent_links_the_privacy_notice(client, workshop):
    label = consent_label(client.get(workshop.url).content.decode())
    assert label == f"I agree that the organisers keep these details to run {LINKED}"


def test_the_link_stays_when_the_form_comes_back_with_errors(client, workshop):
    response = client.post(workshop.url, form_data(email="not an address", privacy_consent=""))
    html = response.content.decode()
    assert "Registration needs your consent to the privacy notice." in html
    assert LINKED in consent_label(html)


def test_a_delegates_consent_links_the_privacy_notice(client, delegate_confirm_url):
    label = consent_label(client.get(delegate_confirm_url).content.decode())
    assert label == f"I agree that the organisers keep these details to run {LINKED}"


@pytest.mark.parametrize("how", ["unpublished", "login"])
def test_without_a_public_privacy_notice_the_label_is_plain(client, workshop, delegate_confirm_url, how):
    hide(InformationPage.objects.get(role="privacy"), how)
    for url in (workshop.url, delegate_confirm_url):
        assert consent_label(client.get(url).content.decode()) == PLAIN, url


def test_the_link_follows_the_page(client, workshop):
    privacy = InformationPage.objects.get(role="privacy")
    privacy.slug = "your-data"
    privacy.save_revision().publish()
    assert '<a href="/your-data/">privacy notice</a>' in consent_label(client.get(workshop.url).content.decode())


def test_the_link_costs_no_query(client, workshop, django_assert_max_num_queries):
    client.get(workshop.url)
    with django_assert_max_num_queries(60) as linked:
        assert LINKED in client.get(workshop.url).content.decode()
    InformationPage.objects.filter(role="privacy").delete()
    client.get(workshop.url)
    with django_assert_max_num_queries(60) as plain:
        assert PLAIN in client.get(workshop.url).content.decode()
    assert len(linked.captured_queries) == len(plain.captured_queries)
