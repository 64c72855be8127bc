"""A solution's page: everything a member government needs to judge it, in a fixed number of queries."""

import pytest

from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def test_shows_the_evidence(small_world, client):
    page = SolutionPage.objects.get(key="mygov")

    html = client.get(page.url).content.decode()

    assert "<h1>myGov</h1>" in html
    assert "All government services in one place." in html
    assert "The problem it solves" in html and "Citizens went from office to office." in html
    assert "How it works" in html and "<strong>2,500+</strong>" in html
    assert "16.6" in html and "Develop effective, accountable and transparent institutions at all levels" in html
    assert "E-services" in html
    assert "2,500+" in html and "government-to-citizen services" in html
    assert "Aspire to Innovate (a2i)" in html
    assert "Bangsamoro Autonomous Region in Muslim Mindanao" in html and "Exploring" in html
    assert "National" in html and "launched in 2019" in html


def test_shows_licence_repository_and_dpg_status(small_world, client):
    html = client.get(SolutionPage.objects.get(key="ekshop").url).content.decode()
    assert "Apache-2.0" in html
    assert 'href="https://github.com/a2i-dpg/ekShop"' in html
    assert "Digital public good" in html
    assert "Goal 17" in html
    assert "Government of Türkiye" in html and "2021" in html


def test_query_count_does_not_grow_with_the_catalogue(small_world, many_solutions, client, django_assert_num_queries):
    from solutions.services import refresh_similar_solutions

    url = SolutionPage.objects.get(key="mygov").url
    client.get(url)
    many_solutions(8)
    refresh_similar_solutions()
    # The page, tags (targets, goals, themes), key figures, adoptions and similar solutions (each with the
    # view restrictions for live().public()).
    with django_assert_num_queries(20) as small:
        html = client.get(url).content.decode()
    assert "Similar solutions" in html
    many_solutions(290, start=8)
    refresh_similar_solutions()
    with django_assert_num_queries(20) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_similar_solutions_rank_by_shared_targets_themes_and_goals(small_world, client):
    from wagtail.models import PageViewRestriction

    from network.catalogue import FORMAT
    from network.catalogue.importer import import_catalogue
    from solutions.services import refresh_similar_solutions

    def solution(key, targets, themes=(), dpg=False):
        return {
            "key": key,
            "name": key.title(),
            "owner": "cod",
            "summary": f"What {key} does & why.",
            "sdg_targets": targets,
            "themes": list(themes),
            "dpg": dpg,
        }

    import_catalogue(
        {
            "format": FORMAT,
            "solutions": [
                solution("same-target", ["16.6"]),  # 3 for the target, 1 for goal 16
                solution("same-theme", ["1.1"], ["e-services"]),  # 2
                solution("same-goal", ["16.1"]),  # 1
                solution("same-goal-dpg", ["16.2"], dpg=True),  # 1, and a digital public good: before same-goal
                solution("alpha-same-goal", ["16.3"]),  # 1, and before same-goal by name
                solution("private", ["16.6"], ["e-services"]),  # would be first, but is restricted
                solution("unrelated", ["3.1"]),
            ],
        }
    )
    PageViewRestriction.objects.create(
        page=SolutionPage.objects.get(key="private"), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    refresh_similar_solutions()
    mygov = SolutionPage.objects.get(key="mygov")

    similar = mygov.similar_solutions(limit=10)

    assert [(solution.title, solution.similarity) for solution in similar] == [
        ("Same-Target", 4),
        ("Same-Theme", 2),
        ("Same-Goal-Dpg", 1),
        ("Alpha-Same-Goal", 1),
        ("Same-Goal", 1),
    ]
    assert [solution.title for solution in mygov.similar_solutions(limit=2)] == ["Same-Target", "Same-Theme"]
    html = client.get(mygov.url).content.decode()
    first = SolutionPage.objects.get(key="same-target")
    assert f'<li><a href="{first.url}">Same-Target</a>: What same-target does &amp; why.</li>' in html
    assert html.count("</a>: What ") == 4  # the page shows four


def test_the_solution_page_lists_its_adoptions_by_year_then_member(small_world, client):
    from solutions.models import Adoption

    mygov = SolutionPage.objects.get(key="mygov")
    expected = list(mygov.adoptions.select_related("member").order_by("year", "member__title"))
    assert expected  # the small world records some

    listed = list(Adoption.objects.of_solution(mygov))

    assert [(a.pk, a.year, a.status, a.member.title, a.member.url) for a in listed] == [
        (a.pk, a.year, a.status, a.member.title, a.member.url) for a in expected
    ]
    html = client.get(mygov.url).content.decode()
    for adoption in expected:
        assert f'<td><a href="{adoption.member.url}">{adoption.member.title}</a></td>' in html


def test_the_owner_is_named_without_a_link_when_its_page_is_not_live(small_world, client):
    from members.models import MemberPage

    a2i = MemberPage.objects.get(key="bgd-a2i")
    mygov = SolutionPage.objects.get(key="mygov")
    assert f'<a href="{a2i.url}">Aspire to Innovate (a2i)</a>' in client.get(mygov.url).content.decode()

    a2i.unpublish()
    html = client.get(mygov.url).content.decode()
    assert "By Aspire to Innovate (a2i) ·" in html
    assert f'href="{a2i.url}"' not in html


def test_a_draft_previews_with_its_own_tags(small_world, rf):
    from django.contrib.auth.models import AnonymousUser

    from ssn4psi.models import SdgTarget

    mygov = SolutionPage.objects.get(key="mygov")
    mygov.title = "myGov, in a draft"
    mygov.sdg_targets = [SdgTarget.objects.get(code="1.4")]
    draft = mygov.save_revision().as_object()
    request = rf.get("/")
    request.user = AnonymousUser()

    response = draft.serve_preview(request, draft.default_preview_mode)

    html = response.render().content.decode()
    assert "<h1>myGov, in a draft</h1>" in html
    assert "<strong>1.4</strong>" in html and "<strong>16.6</strong>" not in html
    new = SolutionPage(title="A new solution", slug="new", key="new")  # a page not saved yet
    assert "<h1>A new solution</h1>" in new.serve_preview(request, new.default_preview_mode).render().content.decode()
