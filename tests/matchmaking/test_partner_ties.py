"""A member page's partners, both ways: whom it learned from (the owners of the solutions it took up, the
providers of its exchanges as learner) and whom it shared with (the members that took up its solutions, the
learners of its exchanges as provider), with the solutions and years (an exchange links to its entry in the list
of exchanges); only live and public partners and
solutions; grouped from what the page reads anyway (matchmaking.listings.ties_by_partner is pure)."""

import datetime
import re
from types import SimpleNamespace

import pytest

from matchmaking.listings import Tie, ties_by_partner
from tests.visibility import HIDDEN, KENYA, hide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def member(pk, title):
    return SimpleNamespace(pk=pk, title=title)


ME, OWNER, ADOPTER, PROVIDER, LEARNER = (
    member(1, "Me"),
    member(2, "owner"),
    member(3, "Adopter"),
    member(4, "Provider"),
    member(5, "Learner"),
)


def adoption(adopter, owner, solution, year=None, status="Adopted"):
    return SimpleNamespace(
        member=adopter,
        solution=SimpleNamespace(title=solution, member=owner),
        year=year,
        get_status_display=lambda: status,
    )


def exchange(provider, learner, key, status="knowledge_shared", date=None, facilitator=None):
    return SimpleNamespace(
        key=key,
        provider=provider,
        provider_id=provider.pk,
        learner=learner,
        learner_id=learner.pk,
        facilitator=facilitator,
        status=status,
        date=date,
        get_status_display=lambda: status.replace("_", " ").capitalize(),
    )


def plain(partners):
    """(partner, [(solutions, year, status, exchange key) of each tie]) of each partner, in order."""
    return [
        (p.member.title, [([s.title for s in tie.solutions], tie.year, tie.status, tie.exchange) for tie in p.ties])
        for p in partners
    ]


def test_a_member_learned_from_owners_and_providers_and_shared_with_adopters_and_learners():
    adoptions = [
        adoption(ME, OWNER, "Their portal", 2021, "Piloting"),
        adoption(ADOPTER, ME, "My portal", 2022),
        adoption(ME, ME, "My own portal", 2020),  # taking up one's own ties nobody
        adoption(ME, None, "Orphan portal", 2020),  # no owner: nobody to have learned from
    ]
    exchanges = [
        exchange(PROVIDER, ME, "provider-me", date=datetime.date(2023, 6, 13)),
        exchange(ME, LEARNER, "me-learner", status="replicating"),
        exchange(ME, ADOPTER, "me-adopter", status="completed", date=datetime.date(2020, 1, 1)),
        # Not (yet) an outcome: listed with the exchanges, not as a tie.
        exchange(OWNER, ME, "owner-me", status="proposed"),
        exchange(ME, OWNER, "me-owner", status="agreed"),
        exchange(LEARNER, ME, "learner-me", status="dropped"),
        # A facilitator is no partner of either side.
        exchange(PROVIDER, LEARNER, "provider-learner", facilitator=ME),
    ]

    partners = ties_by_partner(ME, adoptions, exchanges)

    assert plain(partners.learned_from) == [
        ("Provider", [([], 2023, "Knowledge shared", "provider-me")]),
        ("owner", [(["Their portal"], 2021, "Piloting", "")]),
    ]
    assert plain(partners.shared_with) == [
        ("Adopter", [(["My portal"], 2022, "Adopted", ""), ([], 2020, "Completed", "me-adopter")]),
        ("Learner", [([], None, "Replicating", "me-learner")]),
    ]
    assert partners and not ties_by_partner(ME, [], exchanges[3:])


def test_ties_and_partners_are_latest_first_undated_last_then_by_name():
    adoptions = [
        adoption(member(10, "beta"), ME, "A", None),
        adoption(member(11, "Alpha"), ME, "B", None),
        adoption(member(12, "Zeta"), ME, "D", None),
        adoption(member(12, "Zeta"), ME, "e-C", 2019),
        adoption(member(12, "Zeta"), ME, "C", 2019),
        adoption(member(13, "Eta"), ME, "E", 2020),
    ]
    exchanges = [exchange(ME, member(12, "Zeta"), "me-zeta", date=datetime.date(2019, 5, 1))]

    partners = ties_by_partner(ME, adoptions, exchanges)

    assert [p.member.title for p in partners.shared_with] == ["Eta", "Zeta", "Alpha", "beta"]
    zeta = partners.shared_with[1]
    assert zeta.latest == 2019
    # The same year: the adoptions by solution name, then the exchange; undated last.
    assert [(tie.year, [s.title for s in tie.solutions], tie.exchange) for tie in zeta.ties] == [
        (2019, ["C"], ""),
        (2019, ["e-C"], ""),
        (2019, [], "me-zeta"),
        (None, ["D"], ""),
    ]
    assert zeta.ties[0] == Tie((adoptions[4].solution,), 2019, "Adopted")


def ties_section(client, member):
    html = client.get(member.url).content.decode()
    found = re.search(r'<section aria-labelledby="ties-heading".*?</section>', html, re.S)
    return found.group(0) if found else ""


def lines(section, heading_id):
    """Each partner of the list under `heading_id`: (partner, [its ties as text]), in order."""
    found = re.search(rf'aria-labelledby="{heading_id}">(.*?</ul>)\s*</li>\s*</ul>', section, re.S)
    partners = re.findall(r"<strong>([^<]+)</strong></a>\s*<ul>(.*?)</ul>", found.group(1), re.S) if found else []
    return [
        (name, [re.sub(r"<[^>]+>", "", tie).strip() for tie in re.findall(r"<li>(.*?)</li>", ties, re.S)])
        for name, ties in partners
    ]


def test_the_pages_show_both_sides_with_solutions_and_years(small_world, client):
    from matchmaking.models import Exchange
    from members.models import MemberPage

    a2i, cod = MemberPage.objects.get(key="bgd-a2i"), MemberPage.objects.get(key="cod")
    Exchange.objects.filter(key="cod-a2i").update(date=datetime.date(2023, 6, 13))

    shown = ties_section(client, a2i)

    assert lines(shown, "learned-from-heading") == []
    assert lines(shown, "shared-with-heading") == [
        ("Government of the Democratic Republic of the Congo", ["Exchange — Knowledge shared, 2023"]),
        ("Government of Türkiye", ["ekShop — Adopted, 2021"]),
        ("Bangsamoro Autonomous Region in Muslim Mindanao", ["myGov — Exploring"]),
    ]
    mygov_url = a2i.get_children().get(slug="mygov").url
    assert f'<a href="{cod.url}"><strong>' in shown and f'<a href="{mygov_url}">myGov</a>' in shown
    # The exchange links to its entry in the list of exchanges, which follows.
    html = client.get(a2i.url).content.decode()
    assert '<a href="#exchange-cod-a2i">Exchange</a>' in shown and '<li id="exchange-cod-a2i">' in html
    shown = ties_section(client, cod)
    assert lines(shown, "learned-from-heading") == [("Aspire to Innovate (a2i)", ["Exchange — Knowledge shared, 2023"])]
    assert lines(shown, "shared-with-heading") == []
    barmm = ties_section(client, MemberPage.objects.get(key="phl-barmm"))
    assert lines(barmm, "learned-from-heading") == [("Aspire to Innovate (a2i)", ["myGov — Exploring"])]


def test_a_facilitator_or_a_proposed_exchange_is_no_tie_but_stays_among_the_exchanges(small_world, client):
    from matchmaking.models import Exchange
    from members.models import MemberPage

    undp, tur = MemberPage.objects.get(key="undp"), MemberPage.objects.get(key="tur")
    Exchange.objects.create(key="undp-tur", provider=undp, learner=tur)  # proposed

    html = client.get(undp.url).content.decode()

    assert 'id="ties-heading"' not in html  # UNDP facilitated DR Congo's and proposed one to Türkiye
    assert 'id="exchange-cod-a2i"' in html and 'id="exchange-undp-tur"' in html
    assert "UNDP" not in ties_section(client, tur)


@pytest.fixture
def kenya(small_world):
    """The small world and Kenya > its ICT Authority (eCitizen), Türkiye's e-Devlet: a2i took up eCitizen; the
    ICT Authority took up ekShop and learned from a2i in an exchange on myGov and ekShop."""
    from matchmaking.models import Exchange
    from members.models import MemberPage
    from network.catalogue import FORMAT
    from network.catalogue.importer import import_catalogue
    from solutions.models import Adoption, SolutionPage

    import_catalogue({"format": FORMAT, **KENYA})
    pages = {m.key: m for m in MemberPage.objects.all()} | {s.key: s for s in SolutionPage.objects.all()}
    Adoption.objects.create(solution=pages["ecitizen"], member=pages["bgd-a2i"], year=2024)
    Adoption.objects.create(solution=pages["ekshop"], member=pages["ken-ict"], year=2023)
    exchange = Exchange.objects.create(
        key="a2i-ken-ict", provider=pages["bgd-a2i"], learner=pages["ken-ict"], status="completed"
    )
    exchange.solutions.set([pages["mygov"], pages["ekshop"]])
    return pages


def test_every_tie_shows_when_nothing_is_hidden(kenya, client):
    shown = ties_section(client, kenya["bgd-a2i"])

    assert lines(shown, "learned-from-heading") == [("Kenya ICT Authority", ["eCitizen — Adopted, 2024"])]
    assert lines(shown, "shared-with-heading")[0] == (
        "Kenya ICT Authority",
        ["ekShop — Adopted, 2023", "Exchange — Completed"],
    )


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_partner_is_shown_neither_way(kenya, client, how):
    hide(kenya["ken-ict"], how)

    shown = ties_section(client, kenya["bgd-a2i"])

    assert "Kenya ICT Authority" not in shown and f'href="{kenya["ken-ict"].url}"' not in shown
    assert "eCitizen" not in shown
    assert [name for name, _ties in lines(shown, "shared-with-heading")] == [
        "Government of Türkiye",
        "Bangsamoro Autonomous Region in Muslim Mindanao",
        "Government of the Democratic Republic of the Congo",
    ]


@pytest.mark.parametrize("how", [how for how in HIDDEN if how != "restricted parent"])  # its parent is a2i
def test_a_hidden_solution_is_not_named(kenya, client, how):
    hide(kenya["ekshop"], how)

    shown = ties_section(client, kenya["bgd-a2i"])

    assert "ekShop" not in shown and f'href="{kenya["ekshop"].url}"' not in shown
    shared = dict(lines(shown, "shared-with-heading"))
    assert shared["Kenya ICT Authority"] == ["Exchange — Completed"]
    assert "Government of Türkiye" not in shared  # it took up ekShop only
