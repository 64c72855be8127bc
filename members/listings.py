"""What a member page lists besides its own fields: its parent and child members and its needs with their tags,
each read by one hand-written query into links (ssn4psi.routing.PageLink) and the
vocabulary in memory. The ORM's versions of these queries took longer to build and compile, and their page
instances longer to make, than the database took to answer them."""

from functools import lru_cache

from django.db import connection
from wagtail.models import Page

from ssn4psi.routing import PageLink
from ssn4psi.sql import descendant_range, placeholders, read


def family_of(member):
    """(parent member or None, live child members by name) of `member`, as links, in one query;
    `member.parent_member` learns its value."""
    from members.models import MemberPage

    parent_path = member.path[: -member.steplen] if member.depth > 1 else ""
    parent, children = None, []
    with connection.cursor() as cursor:
        cursor.execute(_family_sql(), [*descendant_range(member), member.depth + 1, True, parent_path])
        for pk, title, url_path, locale_id, depth in cursor.fetchall():
            link = PageLink(MemberPage, id=pk, page_ptr_id=pk, title=title, url_path=url_path, locale_id=locale_id)
            if depth < member.depth:
                parent = link
            else:
                children.append(link)
    member.parent_member = parent
    return parent, children


@lru_cache
def _family_sql():
    """family_of()'s query, for parameters (the member's descendant_range(), its depth + 1, True, its parent's
    path): (id, title, url_path, locale_id, depth) of its live children and its parent, by name."""
    from members.models import MemberPage

    q = connection.ops.quote_name
    return (
        f"SELECT p.{q('id')}, p.{q('title')}, p.{q('url_path')}, p.{q('locale_id')}, p.{q('depth')}"
        f" FROM {q(MemberPage._meta.db_table)} m INNER JOIN {q(Page._meta.db_table)} p"
        f" ON (m.{q('page_ptr_id')} = p.{q('id')})"
        f" WHERE (p.{q('path')} > %s AND p.{q('path')} < %s AND p.{q('depth')} = %s AND p.{q('live')} = %s)"
        f" OR p.{q('path')} = %s ORDER BY p.{q('title')}, p.{q('id')}"
    )


def needs_of(member):
    """The needs of `member` in the editor's order (a list), each with `tag_targets` and `tag_themes`, its SDG
    targets and themes in the framework's order, from the vocabulary in memory: two queries."""
    from members.models import Need
    from ssn4psi.models.vocabulary import framework

    needs = read(Need, _needs_sql(), [member.pk])
    if not needs:
        return needs
    vocabulary = framework()
    targets, themes = {need.pk: [] for need in needs}, {need.pk: [] for need in needs}
    with connection.cursor() as cursor:
        cursor.execute(_need_tags_sql(len(needs)), [need.pk for need in needs] * 2)
        for column, need_id, tag in cursor.fetchall():
            if column == "target" and int(tag) in vocabulary.targets:
                targets[need_id].append(vocabulary.targets[int(tag)])
            elif column == "theme" and tag in vocabulary.themes:
                themes[need_id].append(vocabulary.themes[tag])
    for need in needs:
        need.tag_targets = sorted(targets[need.pk], key=lambda target: target.position)
        need.tag_themes = sorted(themes[need.pk], key=lambda theme: theme.position)
    return needs


@lru_cache
def _needs_sql():
    """needs_of()'s query, for parameters (the member's id,): the whole rows (a few short fields) in the editor's
    order."""
    from members.models import Need

    q = connection.ops.quote_name
    columns = ", ".join(f"n.{q(field.column)}" for field in Need._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {q(Need._meta.db_table)} n WHERE n.{q('member_id')} = %s"
        f" ORDER BY n.{q('sort_order')}, n.{q('id')}"
    )


def _need_tags_sql(count):
    """needs_of()'s tags of `count` needs (their ids as parameters, twice): ("target" or "theme", need id, tag)."""
    from members.models import Need

    q = connection.ops.quote_name
    return " UNION ALL ".join(
        f"SELECT '{kind}', {q('need_id')}, CAST({q(column)} AS TEXT) FROM {q(relation.through._meta.db_table)}"
        f" WHERE {q('need_id')} IN ({placeholders(count)})"
        for relation, kind, column in ((Need.sdg_targets, "target", "sdgtarget_id"), (Need.themes, "theme", "theme_id"))
    )
