"""The network page (/network/): its figures, the flows between countries as pictures, tables and CSV, the SDG
coverage, the timeline, its filters, what it leaves out, and what it costs."""

import csv
import io
import re

import pytest
from django.test import RequestFactory

from members.models import MemberPage
from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue
from network.models import NetworkPage, NetworkSummary
from network.overview import NetworkCounts, NetworkOverview
from solutions.models import SolutionPage
from tests.visibility import HIDDEN, hide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

#: Added to the small world: Kenya, whose eCitizen DR Congo, Türkiye and Bangladesh adopted; an exchange Bangladesh
#: -> DR Congo completed in 2021 (a second one for that pair), one Kenya -> DR Congo only agreed, one dropped in
#: 2020; and a solution of Bangladesh taken up by a2i, in the same country.
MORE = {
    "format": FORMAT,
    "members": [{"key": "ken", "name": "Government of Kenya", "kind": "national_government", "country": "KEN"}],
    "solutions": [
        {
            "key": "ecitizen",
            "name": "eCitizen",
            "owner": "ken",
            "sdg_targets": ["16.6", "16.9"],
            "adoptions": [
                {"member": "cod", "year": 2020, "status": "adopted"},
                {"member": "tur", "year": 2021, "status": "piloting"},
                {"member": "bgd", "year": 2021, "status": "adopted"},
            ],
        },
        {
            "key": "bgd-local",
            "name": "A portal of Bangladesh",
            "owner": "bgd",
            "sdg_targets": ["1.3"],
            "adoptions": [{"member": "bgd-a2i", "status": "adopted"}],
        },
    ],
    "exchanges": [
        {"key": "bgd-cod", "provider": "bgd", "learner": "cod", "status": "completed", "date": "2021-05-04"},
        {"key": "ken-cod", "provider": "ken", "learner": "cod", "status": "agreed", "solutions": ["ecitizen"]},
        {"key": "ken-tur", "provider": "ken", "learner": "tur", "status": "dropped", "date": "2020-01-10"},
    ],
}


@pytest.fixture
def more(small_world):
    import_catalogue(MORE)
    return small_world


def page_html(client, url="/network/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def figure(html, label):
    found = re.search(rf"<dt>{label}</dt><dd>(\d+)</dd>", html)
    return int(found.group(1)) if found else None


def table_rows(html, caption):
    """The body rows of the table with `caption`, as lists of cell texts."""
    table = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def overview(**filters):
    """The network's counts as the page reads them, counted afresh (never the kept ones)."""
    return NetworkCounts(NetworkOverview(RequestFactory().get("/network/"), filters).counts())


def csv_rows(client, url="/network/flows.csv"):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


# -- figures -----------------------------------------------------------------------------------------------------


def test_the_figures_of_a_small_world(small_world, client):
    html = page_html(client)
    assert "<h1>The network</h1>" in html
    assert figure(html, "Members") == 6
    assert figure(html, "Countries") == 5  # BGD, COD, PHL, TUR, USA
    assert figure(html, "Solutions") == 2
    assert figure(html, "Exchanges") == 1
    assert figure(html, "Adoptions") == 2
    assert figure(html, "Workshops") == 0 and figure(html, "Participants") == 0
    assert "<span>Knowledge shared: 1</span>" in html
    assert "<span>Exploring: 1</span><span>Adopted: 1</span>" in html


def test_workshops_and_participants_are_counts_of_live_public_workshops(small_world, make_workshop, client):
    from workshops.models import Registration

    workshop = make_workshop()
    for n, status in enumerate(["confirmed", "attended", "waitlisted", "cancelled", "pending_confirmation"]):
        Registration.objects.create(workshop=workshop, name=f"P{n}", email=f"p{n}@example.org", status=status)
    hidden = make_workshop(title="Internal", slug="internal")
    Registration.objects.create(workshop=hidden, name="Q", email="q@example.org", status="confirmed")
    hide(hidden, "login")
    html = page_html(client)
    assert figure(html, "Workshops") == 1
    assert figure(html, "Participants") == 2  # confirmed and attended hold a place; nobody is named
    assert "p0@example.org" not in html and ">P0<" not in html


def test_exchanges_are_counted_by_state_and_flows_only_once_knowledge_is_shared(more, client):
    html = page_html(client)
    assert figure(html, "Exchanges") == 4
    assert "<span>Agreed: 1</span><span>Knowledge shared: 1</span><span>Completed: 1</span><span>Dropped: 1</span>" in (
        html
    )
    assert overview().pairs()[("BGD", "COD")] == (2, 0)  # a2i's and Bangladesh's exchanges, the same countries
    assert ("KEN", "COD") in overview().pairs() and overview().pairs()[("KEN", "COD")][0] == 0  # only agreed


# -- who learned from whom ---------------------------------------------------------------------------------------


def test_flows_between_countries_are_summed_by_pair(more):
    assert overview().pairs() == {
        ("BGD", "COD"): (2, 0),
        ("BGD", "PHL"): (0, 1),
        ("BGD", "TUR"): (0, 1),
        ("KEN", "COD"): (0, 1),
        ("KEN", "TUR"): (0, 1),
        ("KEN", "BGD"): (0, 1),
    }
    assert overview().within_countries() == {"exchanges": 0, "adoptions": 1}  # a2i took up Bangladesh's portal


def test_the_flows_are_drawn_and_given_as_tables(more, client):
    html = page_html(client)
    assert table_rows(html, "Exchanges between countries, as drawn, largest first") == [
        ["Bangladesh", "Democratic Republic of the Congo", "2"]
    ]
    assert table_rows(html, "Adoptions between countries, as drawn, largest first") == [
        ["Bangladesh", "Philippines", "1"],
        ["Bangladesh", "Türkiye", "1"],
        ["Kenya", "Bangladesh", "1"],
        ["Kenya", "Democratic Republic of the Congo", "1"],
        ["Kenya", "Türkiye", "1"],
    ]
    assert "6 pairs of countries in all." in html
    assert "Not drawn: 0 exchanges and 1 adoptions within one country." in html
    # Each picture has an accessible name and description, and its table says the same.
    for kind in ("exchanges", "adoptions"):
        assert f'role="img" aria-labelledby="{kind}-title {kind}-desc"' in html
        assert f'<title id="{kind}-title">' in html and f'<desc id="{kind}-desc">' in html
    assert html.count("<path d=") == 1 + 5
    assert '<th scope="col">From (provider)</th>' in html


def test_the_csv_holds_every_pair_with_safe_cells(more, client, monkeypatch):
    rows = csv_rows(client)
    assert rows[0] == [
        "provider_country",
        "provider_country_name",
        "learner_country",
        "learner_country_name",
        "exchanges",
        "adoptions",
    ]
    assert rows[1] == ["BGD", "Bangladesh", "COD", "Democratic Republic of the Congo", "2", "0"]
    assert len(rows) == 1 + 6
    assert {(row[0], row[2], row[5]) for row in rows[1:]} >= {("KEN", "BGD", "1"), ("BGD", "PHL", "1")}
    response = client.get("/network/flows.csv")
    assert response["Content-Disposition"] == 'attachment; filename="network-flows.csv"'
    # A name a spreadsheet would run as a formula is written as text.
    monkeypatch.setattr("network.views.country_label", lambda code: "=HYPERLINK(1)" if code == "KEN" else code)
    assert ["KEN", "'=HYPERLINK(1)"] in [row[:2] for row in csv_rows(client, "/network/flows.csv?goal=16")]


def test_the_page_links_the_csv_with_its_filters(more, client):
    assert 'href="/network/flows.csv"' in page_html(client)
    assert 'href="/network/flows.csv?region=africa&amp;goal=16"' in page_html(client, "/network/?goal=16&region=africa")


# -- SDG coverage and timeline -------------------------------------------------------------------------------------


def test_goals_count_their_solutions_and_needs_and_show_opportunities(more, client):
    goals = {row.goal.number: row for row in overview().coverage()}
    assert (goals[16].solutions, goals[16].needs) == (2, 1)  # myGov and eCitizen; DR Congo's one-stop need
    assert [(t.target.code, t.solutions, t.needs) for t in goals[16].targets] == [("16.6", 2, 1), ("16.9", 1, 0)]
    assert (goals[17].solutions, goals[17].targets) == (1, [])  # ekShop serves goal 17 as a whole
    assert (goals[3].solutions, goals[3].needs) == (0, 0)
    assert not any(row.opportunity or row.target_opportunities for row in goals.values())

    # BARMM asks for 16.7, which no solution serves, and for goal 4 as a whole, which none serves either.
    barmm = MemberPage.objects.get(key="phl-barmm")
    import_catalogue(
        {
            "format": FORMAT,
            "members": [
                {
                    "key": "phl-barmm",
                    "name": barmm.title,
                    "kind": "subnational_government",
                    "country": "PHL",
                    "needs": [
                        {"key": "barmm-roadmap", "title": "A digital roadmap", "sdg_targets": ["16.6", "16.7"]},
                        {"key": "barmm-learning", "title": "E-learning", "sdg_targets": ["4"]},
                    ],
                }
            ],
        }
    )
    goals = {row.goal.number: row for row in overview().coverage()}
    assert goals[16].needs == 2  # tagged twice within the goal, counted once
    assert [t.target.code for t in goals[16].target_opportunities] == ["16.7"]
    assert goals[4].opportunity and goals[4].needs == 1 and goals[4].solutions == 0
    html = page_html(client)
    assert "Opportunity: needs ask for it, no solution serves it yet" in html  # goal 4, in words
    assert "Opportunity: 1 target that needs ask for has no solution yet" in html  # goal 16


def test_the_timeline_counts_exchanges_and_adoptions_by_year(more, client):
    years, undated = overview().timeline()
    assert years == [(2020, 1, 1), (2021, 1, 3)]
    assert undated == {"exchanges": 2, "adoptions": 2}
    html = page_html(client)
    assert table_rows(html, "Exchanges and adoptions by year") == [["2020", "1", "1"], ["2021", "1", "3"]]
    assert 'aria-labelledby="timeline-title timeline-desc"' in html
    assert "Without a recorded date, so not in the timeline: 2 exchanges and 2 adoptions." in html


# -- filters -----------------------------------------------------------------------------------------------------


def test_a_region_narrows_to_its_members_and_the_flows_into_and_out_of_it(more, client):
    html = page_html(client, "/network/?region=africa")
    assert figure(html, "Members") == 2  # DR Congo and Kenya
    assert figure(html, "Countries") == 2
    assert figure(html, "Solutions") == 1  # eCitizen
    assert figure(html, "Exchanges") == 4  # every exchange here has DR Congo, Kenya or both
    assert set(overview(region="africa").pairs()) == {("BGD", "COD"), ("KEN", "COD"), ("KEN", "TUR"), ("KEN", "BGD")}
    assert '<option value="africa" selected>Africa</option>' in html
    assert "Showing Africa" in html


def test_a_goal_narrows_to_what_serves_or_asks_for_it(more, client):
    html = page_html(client, "/network/?goal=16")
    assert figure(html, "Solutions") == 2  # myGov, eCitizen
    assert figure(html, "Adoptions") == 4  # BARMM's of myGov, eCitizen's three
    assert figure(html, "Exchanges") == 2  # around myGov (a2i -> DR Congo) and eCitizen (Kenya -> DR Congo)
    assert figure(html, "Members") == 3  # those that own a solution or have a need on it: a2i, Kenya, DR Congo
    assert '<option value="16" selected>' in html
    both = overview(region="asia", goal=16)
    assert set(both.pairs()) == {("BGD", "COD"), ("BGD", "PHL"), ("KEN", "TUR"), ("KEN", "BGD")}


@pytest.mark.parametrize(
    "query", ["?region=mars", "?goal=99", "?goal=sixteen", "?goal=16.6", "?region=africa&region=moon", "?goal="]
)
def test_bad_filters_are_reported_and_ignored(more, client, query):
    html = page_html(client, "/network/" + query)
    whole = page_html(client)
    if query != "?goal=":
        assert "Some filters were not understood and were ignored:" in html
        assert re.search(r"<li>(Region|SDG goal): Select a valid choice\.", html)
    assert figure(html, "Members") == figure(whole, "Members") == 7


def test_the_csv_refuses_a_bad_filter_with_a_message(more, client):
    response = client.get("/network/flows.csv?goal=99")
    assert response.status_code == 400
    assert response.content.decode() == "SDG goal: Select a valid choice. 99 is not one of the available choices.\n"


# -- visibility ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", [how for how in HIDDEN if how != "restricted parent"])  # Türkiye's is the directory
def test_a_hidden_member_and_what_it_did_are_not_counted(more, client, how):
    hide(MemberPage.objects.get(key="tur"), how)
    html = page_html(client)
    assert figure(html, "Members") == 6 and figure(html, "Countries") == 5  # no Türkiye
    assert figure(html, "Adoptions") == 4  # not Türkiye's ekShop nor its eCitizen
    assert not [pair for pair in overview().pairs() if "TUR" in pair]
    assert "Türkiye" not in html
    assert not [row for row in csv_rows(client) if "TUR" in row]


@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_solution_and_its_adoptions_are_not_counted(more, client, how):
    hide(SolutionPage.objects.get(key="ecitizen"), how)
    html = page_html(client)
    assert figure(html, "Solutions") == 3
    assert figure(html, "Adoptions") == 3  # eCitizen's three are gone
    assert not [pair for pair in overview().pairs() if pair[0] == "KEN"]
    goals = {row.goal.number: row for row in overview().coverage()}
    assert goals[16].solutions == 1 and [t.target.code for t in goals[16].targets] == ["16.6"]
    if how != "restricted parent":  # a restriction on Kenya's page hides Kenya too
        assert figure(html, "Members") == 7


def test_exchanges_and_needs_of_a_hidden_member_are_not_counted(more, client):
    hide(MemberPage.objects.get(key="cod"), "login")
    html = page_html(client)
    assert figure(html, "Exchanges") == 1  # Kenya -> Türkiye (dropped); the three with DR Congo are gone
    assert ("BGD", "COD") not in overview().pairs()
    assert {row.goal.number: row.needs for row in overview().coverage()}[16] == 0


def test_an_unpublished_or_restricted_network_page_is_not_served_nor_its_csv(small_world, client):
    page = NetworkPage.objects.get()
    hide(page, "login")
    assert client.get("/network/").status_code == 302
    assert client.get("/network/flows.csv").status_code == 404
    page.unpublish()
    assert client.get("/network/").status_code == 404


# -- the whole network, kept ---------------------------------------------------------------------------------------


def kept():
    return NetworkSummary.objects.filter(pk=NetworkSummary.objects.ROW).values_list("counts", flat=True).first()


def test_the_whole_network_is_kept_and_read_in_one_query(more, client):
    page_html(client)  # the first reader counts (and makes the row)
    page_html(client)  # the next keeps
    assert kept() == NetworkOverview(RequestFactory().get("/network/"), {}).counts()
    assert NetworkCounts(kept()).pairs() == overview().pairs()
    # Filters are counted each time, never kept.
    page_html(client, "/network/?region=africa")
    assert kept() == NetworkOverview(RequestFactory().get("/network/"), {}).counts()


@pytest.mark.parametrize(
    "change",
    [
        "exchange status",
        "exchange solutions",
        "need tags",
        "adoption imported",
        "member unpublished",
        "solution restricted",
    ],
)
def test_any_change_to_what_is_counted_forgets_the_kept_counts(more, client, change):
    from matchmaking.models import Exchange
    from ssn4psi.models import SdgTarget

    page_html(client)
    page_html(client)
    before, stamp = kept(), stamps()
    assert before is not None
    if change == "exchange status":
        exchange = Exchange.objects.get(key="ken-cod")
        exchange.status = "knowledge_shared"
        exchange.save()
    elif change == "exchange solutions":
        Exchange.objects.get(key="bgd-cod").solutions.add(SolutionPage.objects.get(key="ekshop"))
    elif change == "need tags":
        need = MemberPage.objects.get(key="cod").needs.get()
        need.sdg_targets.add(SdgTarget.objects.get(code="4.4"))  # written when the need is saved
        need.save()
    elif change == "adoption imported":
        import_catalogue(
            {
                "format": FORMAT,
                "solutions": [
                    {"key": "ekshop", "name": "ekShop", "owner": "bgd-a2i", "adoptions": [{"member": "ken"}]}
                ],
            }
        )
    elif change == "member unpublished":
        MemberPage.objects.get(key="ken").unpublish()
    else:
        hide(SolutionPage.objects.get(key="mygov"), "login")
    assert stamps() != stamp  # forgotten: its own version moved, or the catalogue's
    html = page_html(client)
    assert kept() == NetworkOverview(RequestFactory().get("/network/"), {}).counts()  # counted again, and kept
    if change != "exchange solutions":  # the whole network's counts do not depend on an exchange's solutions
        assert kept() != before
    assert figure(html, "Members") == NetworkCounts(kept()).data["members"]


def stamps():
    from solutions.models import CatalogueSummary

    return (
        NetworkSummary.objects.values_list("version", flat=True).first(),
        CatalogueSummary.objects.values_list("version", flat=True).first(),
    )


def test_a_draft_or_a_registration_leaves_the_kept_counts(more, client, make_workshop):
    from workshops.models import Registration

    workshop = make_workshop()
    page_html(client)
    version = NetworkSummary.objects.get().version
    draft = SolutionPage.objects.get(key="mygov")
    draft.title = "myGov (draft)"
    draft.save_revision()
    Registration.objects.create(workshop=workshop, name="A", email="a@example.org", status="confirmed")
    assert NetworkSummary.objects.get().version == version
    assert figure(page_html(client), "Participants") == 1  # counted each time


# -- the site -----------------------------------------------------------------------------------------------------


def test_setup_site_adds_the_page_to_an_existing_site_once(small_world, client):
    from django.core.management import call_command

    NetworkPage.objects.get().delete()
    assert client.get("/network/").status_code == 404
    call_command("setup_site")
    call_command("setup_site")
    page = NetworkPage.objects.get()
    assert page.url == "/network/" and page.live
    assert client.get("/network/").status_code == 200


def test_the_page_is_linked_from_every_page_and_kept_in_the_page_cache(small_world, client):
    home = page_html(client, "/")
    assert '<a href="/network/">Network</a>' in home  # the header of every page
    assert 'href="/network/">See who learned from whom</a>' in home
    first, second = client.get("/network/"), client.get("/network/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "<script>" not in first.content.decode() and " style=" not in first.content.decode()


def test_the_admin_edits_its_introduction(small_world, admin_client, client):
    page = NetworkPage.objects.get()
    assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    page.intro = "Who taught whom, in figures."
    page.save_revision().publish()
    assert "Who taught whom, in figures." in page_html(client)


# -- cost ----------------------------------------------------------------------------------------------------------


def test_the_page_reads_a_fixed_number_of_queries(small_world, many_solutions, client, django_assert_num_queries):
    """Wagtail's routing and its check of the page's view restrictions (7), the view restrictions for what it counts
    (1), the workshops' attendance; the goals and the targets shown; then without filters the kept counts (1), with
    filters the counts: members, solutions, exchanges and adoptions grouped, solutions by goal and by target, needs
    by goal (2) and by target (9). (With no target tagged at all, the targets' read is skipped: one less.)"""
    many_solutions(8)
    client.get("/network/")  # warms the site-root cache and keeps the whole network's counts
    with django_assert_num_queries(QUERIES):
        small = client.get("/network/")
    with django_assert_num_queries(FILTERED_QUERIES):
        client.get("/network/?region=asia&goal=16")
    many_solutions(290, start=8)
    client.get("/network/")
    with django_assert_num_queries(QUERIES):
        large = client.get("/network/")
    with django_assert_num_queries(FILTERED_QUERIES):
        client.get("/network/?region=asia&goal=16")
    assert figure(large.content.decode(), "Solutions") == 300
    assert figure(large.content.decode(), "Adoptions") == 2 + 298  # each generated one adopted by Türkiye
    assert small.status_code == large.status_code == 200


def test_the_csv_reads_a_fixed_number_of_queries(small_world, many_solutions, client, django_assert_num_queries):
    many_solutions(8)
    client.get("/network/")
    with django_assert_num_queries(3):  # the page is live and public (2: the view restrictions, the page), the counts
        client.get("/network/flows.csv")
    many_solutions(290, start=8)
    client.get("/network/")
    with django_assert_num_queries(3):
        assert len(csv_rows(client)) == 1 + 4  # Bangladesh to DR Congo, the Philippines, Türkiye; DR Congo to Türkiye


QUERIES = 12
FILTERED_QUERIES = 20
