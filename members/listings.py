"""The solutions a member adopted, as its page lists them (read by one hand-written query into links)."""

from functools import lru_cache

from django.db import connection
from wagtail.models import Page

from ssn4psi.routing import link_relation
from ssn4psi.sql import read


def adoptions_by(member):
    """The adoptions of live solutions by `member` (a list), latest year first then by solution name, each with
    its solution as a link and its owner's name as `owner_title`: one query."""
    from solutions.models import Adoption, SolutionPage

    adoptions = read(Adoption, _adoptions_sql(), [member.pk, True])
    for adoption in adoptions:
        link_relation(adoption, "solution", SolutionPage)
    return adoptions


@lru_cache
def _adoptions_sql():
    """adoptions_by()'s query, for parameters (the member's id, True): the adoptions' fields, their solution's as
    solution_title, solution_url_path, solution_locale_id, and its owner's name as owner_title."""
    from members.models import MemberPage
    from solutions.models import Adoption, SolutionPage

    q = connection.ops.quote_name
    page = q(Page._meta.db_table)
    columns = ", ".join(f"a.{q(name)}" for name in ("id", "solution_id", "member_id", "year", "status"))
    return (
        f"SELECT {columns}, sp.{q('title')} AS solution_title, sp.{q('url_path')} AS solution_url_path,"
        f" sp.{q('locale_id')} AS solution_locale_id, op.{q('title')} AS owner_title"
        f" FROM {q(Adoption._meta.db_table)} a"
        f" INNER JOIN {q(SolutionPage._meta.db_table)} s ON (a.{q('solution_id')} = s.{q('page_ptr_id')})"
        f" INNER JOIN {page} sp ON (s.{q('page_ptr_id')} = sp.{q('id')})"
        f" LEFT OUTER JOIN {q(MemberPage._meta.db_table)} m ON (s.{q('member_id')} = m.{q('page_ptr_id')})"
        f" LEFT OUTER JOIN {page} op ON (m.{q('page_ptr_id')} = op.{q('id')})"
        f" WHERE a.{q('member_id')} = %s AND sp.{q('live')} = %s"
        f" ORDER BY a.{q('year')} DESC, sp.{q('title')} ASC"
    )
