"""The goals each solution serves, kept as rows (SolutionGoal) when it is saved: what the catalogue counts by goal.
Checked against the solution's goal_index after each kind of write, and through the catalogue's goal filter."""

import re

import pytest

from solutions.models import SolutionGoal, SolutionPage
from tests.factories import sdg_goals, sdg_targets

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def rows(solution):
    return sorted(SolutionGoal.objects.filter(solution=solution).values_list("goal", flat=True))


def solution(key):
    return SolutionPage.objects.get(key=key)


def goal_count(client, number):
    """The count the catalogue's goal filter shows for goal `number` when the catalogue is filtered (to
    replicated solutions): counted from the rows, not read from the kept summary. 0 when the goal is not offered."""
    content = client.get("/solutions/", {"maturity": "replicated"}).content.decode()
    match = re.search(rf'name="goal" value="{number}"> [^<]*<span class="count">\((\d+)\)</span>', content)
    return int(match.group(1)) if match else 0


def test_each_solution_has_the_goals_of_its_index():
    for page in SolutionPage.objects.all():
        assert rows(page) == page.goal_numbers, page.key


def test_a_published_change_of_tags_rewrites_them_and_a_draft_does_not(client):
    ekshop = solution("ekshop")
    assert rows(ekshop) == [5, 8, 17]
    assert goal_count(client, 9) == 0

    ekshop.sdg_targets = sdg_targets(["9.c"])
    ekshop.sdg_goals = sdg_goals(["17"])
    ekshop.save_revision()
    assert rows(ekshop) == [5, 8, 17]
    assert goal_count(client, 9) == 0

    solution("ekshop").get_latest_revision().publish()
    assert rows(ekshop) == [9, 17] == solution("ekshop").goal_numbers
    assert goal_count(client, 9) == 1
    assert goal_count(client, 5) == 0


def test_a_deleted_solution_takes_its_rows_with_it():
    pk = solution("ekshop").pk
    solution("ekshop").delete()
    assert not SolutionGoal.objects.filter(solution_id=pk).exists()
