"""A member page's matchmaking sections show only pages that are live and public, in their live version:
the recommended partners (their providers, the solutions and facilitators they name), the solutions like the
ones the member adopted (and their owners), and the member's exchanges (their partners and facilitators).
Their queries do not grow with the data."""

import pytest

from members.models import MemberPage
from tests.visibility import HIDDEN, build_world, draft_change, hide, section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture
def world(small_world):
    return build_world()


def barmm_page(client):
    response = client.get(MemberPage.objects.get(key="phl-barmm").url)
    assert response.status_code == 200
    html = response.content.decode()
    return {
        "partners": section(html, "partners-heading"),
        "adopters": section(html, "similar-adopters-heading"),
        "exchanges": section(html, "exchanges-heading"),
    }


def test_everything_shows_when_nothing_is_hidden(client, world):
    pages, _exchanges = world
    shown = barmm_page(client)

    assert "Aspire to Innovate (a2i)" in shown["partners"] and "Government of Türkiye" in shown["partners"]
    assert f'<a href="{pages["mygov"].url}">myGov</a>' in shown["partners"]
    assert f'<a href="{pages["ecitizen"].url}">eCitizen</a>, <a href="{pages["tur-portal"].url}">' in shown["partners"]
    assert (
        f'<a href="{pages["ken-ict"].url}">Kenya ICT Authority</a>, <a href="{pages["undp"].url}">UNDP</a>'
        in (shown["partners"])
    )
    assert "both are national governments" in shown["partners"]  # the reasons, in words
    assert f'<a href="{pages["ecitizen"].url}">eCitizen</a> (Kenya ICT Authority)' in shown["adopters"]
    assert shown["exchanges"].count("<li id=") == 3
    assert "(facilitated by Kenya ICT Authority)" in shown["exchanges"]


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_provider_is_not_recommended_nor_listed_as_a_partner(client, world, how):
    pages, _exchanges = world
    hide(pages["bgd-a2i"], how)

    shown = barmm_page(client)

    assert (
        "Aspire to Innovate (a2i)" not in shown["partners"]
        and f'href="{pages["bgd-a2i"].url}"' not in shown["partners"]
    )
    assert "Government of Türkiye" in shown["partners"] and "e-Devlet" in shown["partners"]
    assert "Aspire to Innovate (a2i)" not in shown["exchanges"] and 'id="exchange-a2i-barmm"' not in shown["exchanges"]
    assert 'id="exchange-tur-barmm"' in shown["exchanges"]


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_facilitator_or_partner_is_left_out(client, world, how):
    pages, _exchanges = world
    hide(pages["ken-ict"], how)

    shown = barmm_page(client)

    assert "Kenya ICT Authority" not in shown["partners"] and f'href="{pages["ken-ict"].url}"' not in shown["partners"]
    assert f'<a href="{pages["undp"].url}">UNDP</a>' in shown["partners"]
    # The exchange it facilitated stays, without it; the exchange it learns in goes.
    assert 'id="exchange-tur-barmm"' in shown["exchanges"] and "facilitated by" not in shown["exchanges"]
    assert "Kenya ICT Authority" not in shown["exchanges"] and 'id="exchange-barmm-ken-ict"' not in shown["exchanges"]


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_solution_is_not_recommended(client, world, how):
    pages, _exchanges = world
    hide(pages["ecitizen"], how)

    shown = barmm_page(client)

    for part in ("partners", "adopters"):
        assert "eCitizen" not in shown[part] and f'href="{pages["ecitizen"].url}"' not in shown[part]
        assert f'<a href="{pages["tur-portal"].url}">e-Devlet</a>' in shown[part]


def test_an_unpublished_owner_is_not_named_beside_its_solution(client, world):
    pages, _exchanges = world
    pages["ken-ict"].unpublish()  # eCitizen itself stays live

    shown = barmm_page(client)

    assert f'<a href="{pages["ecitizen"].url}">eCitizen</a> </li>' in shown["adopters"].replace("\n", "")
    assert "Kenya ICT Authority" not in shown["adopters"]


@pytest.mark.parametrize("key", ["bgd-a2i", "ken-ict", "ecitizen", "tur-portal"])
def test_a_draft_change_does_not_show(client, world, key):
    pages, _exchanges = world
    live_title = pages[key].title
    draft_change(pages[key], "Draft title, not published")

    shown = barmm_page(client)

    assert not any("Draft title" in html for html in shown.values())
    assert live_title in shown["partners"] + shown["adopters"]


def test_the_queries_do_not_grow_with_the_data(client, world, many_solutions, django_assert_max_num_queries):
    """10 solutions then 300, each recommended to BARMM and listed among a2i's; every section full; a view
    restriction in place (public() then has paths to exclude)."""
    from matchmaking.models import PartnerRecommendation, SolutionRecommendation
    from solutions.models import SolutionPage

    pages, _exchanges = world
    hide(pages["ken"], "login")
    url = MemberPage.objects.get(key="phl-barmm").url
    counts = []
    for n, start in ((10, 0), (290, 10)):
        many_solutions(n, start=start)
        keys = list(SolutionPage.objects.filter(key__startswith="generated-").values_list("key", flat=True))
        PartnerRecommendation.objects.filter(provider=pages["bgd-a2i"]).update(solutions=keys)
        SolutionRecommendation.objects.filter(rank__gt=2).delete()
        SolutionRecommendation.objects.bulk_create(
            SolutionRecommendation(learner=pages["phl-barmm"], solution=solution, kind="adopters", rank=rank, score=0)
            for rank, solution in enumerate(SolutionPage.objects.filter(key__in=keys[:20]), start=3)
        )
        client.get(url)
        with django_assert_max_num_queries(30) as captured:
            html = client.get(url).content.decode()
        counts.append(len(captured.captured_queries))
        assert f"Generated solution {n + start - 1:04d}" in html
    assert counts[0] == counts[1]


@pytest.mark.parametrize("how", HIDDEN)
def test_the_matcher_sees_the_live_and_public_network_only(world, how):
    """What the matcher reads it may name in its reasons, which public pages show."""
    from matchmaking.recommendations import load_network

    pages, _exchanges = world
    hide(pages["ken-ict"], how)

    network = load_network()

    assert "ken-ict" not in {member.key for member in network.members}
    assert "ecitizen" not in {solution.key for solution in network.solutions}
    assert "tur-portal" in {solution.key for solution in network.solutions}
    assert not any(exchange.learner == "ken-ict" or exchange.facilitator == "ken-ict" for exchange in network.exchanges)


def test_a_view_restriction_recomputes_the_recommendations(world, django_capture_on_commit_callbacks, monkeypatch):
    from matchmaking import tasks

    pages, _exchanges = world
    sent = []
    monkeypatch.setattr(tasks.refresh_recommendations, "delay", lambda: sent.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        hide(pages["ken-ict"], "login")
    assert sent == [1]
