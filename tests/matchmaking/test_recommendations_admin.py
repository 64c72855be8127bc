"""Staff see the recommendations in the admin and turn one into an exchange; nobody else sees them."""

import pytest
from django.urls import reverse

from matchmaking.models import PartnerRecommendation
from matchmaking.recommendations import refresh_recommendations
from members.models import MemberPage
from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

URL = "/admin/recommendations/"
KENYA = {
    "format": FORMAT,
    "members": [
        {
            "key": "ken-ict",
            "name": "Kenya ICT Authority",
            "kind": "government_agency",
            "country": "KEN",
            "languages": ["en", "fr"],
        },
        {"key": "undp-ken", "name": "UNDP Kenya", "kind": "international_organisation", "country": "KEN"},
    ],
    "solutions": [
        {
            "key": "ecitizen",
            "name": "eCitizen",
            "owner": "ken-ict",
            "sdg_targets": ["16.6"],
            "themes": ["e-services"],
            "maturity": "national",
        }
    ],
}


@pytest.fixture
def recommended(small_world):
    import_catalogue(KENYA)
    refresh_recommendations()


def test_the_secretariat_sees_the_network_and_one_learner(
    client, secretary, recommended, django_assert_max_num_queries
):
    client.force_login(secretary)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kenya ICT Authority" in html and "Government of the Democratic Republic of the Congo" in html
    assert "Create exchange" in html and "Recompute now" in html
    response = client.get(URL, {"learner": "cod"})
    html = response.content.decode()
    assert response.context["learner"].key == "cod"
    rows = response.context["rows"]
    assert rows[0].provider.key == "ken-ict" and rows[0].solution_titles == ["eCitizen"]
    assert any("One-stop access to public services" in sentence for sentence in rows[0].sentences)
    with django_assert_max_num_queries(30):
        client.get(URL, {"learner": "cod"})


def test_create_exchange_link_prefills_the_pairing(client, secretary, recommended):
    client.force_login(secretary)
    row = client.get(URL, {"learner": "cod"}).context["rows"][0]
    assert row.create_url.startswith(reverse("exchanges:add") + "?")
    assert "provider=ken-ict" in row.create_url and "learner=cod" in row.create_url
    assert "solutions=ecitizen" in row.create_url
    form = client.get(row.create_url).context["form"]
    assert form.initial["provider"] == MemberPage.objects.get(key="ken-ict").pk
    assert form.initial["learner"] == MemberPage.objects.get(key="cod").pk


def test_an_unknown_learner_shows_the_network_with_a_warning(client, secretary, recommended):
    client.force_login(secretary)
    response = client.get(URL, {"learner": "nobody", "page": "x"})
    assert response.status_code == 200 and response.context["unknown_learner"]
    assert "There is no learner with that key" in response.content.decode()


def test_recompute_now_queues_a_refresh(client, secretary, small_world, eager_tasks):
    import_catalogue(KENYA)
    assert not PartnerRecommendation.objects.exists()
    client.force_login(secretary)
    response = client.post(URL + "?learner=cod")
    assert response.status_code == 302 and response.url == URL + "?learner=cod"
    assert PartnerRecommendation.objects.filter(learner__key="cod").exists()


def test_focal_points_and_visitors_are_refused(client, focal_point, recommended):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(focal_point)
    assert client.get(URL).status_code in (302, 403)
    count = PartnerRecommendation.objects.count()
    assert client.post(URL).status_code in (302, 403)
    assert PartnerRecommendation.objects.count() == count
    assert "Recommendations" not in client.get("/admin/").content.decode()
