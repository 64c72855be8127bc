"""The embedded search backend: Wagtail's database search for the words (SQLite FTS5, PostgreSQL full text),
the ORM for facets and counts, Python for the ranking. The default; no server to run.

The visitor's text never reaches the full-text engine as typed: it is cut into words (letters and digits
only), so quotes, operators, NEAR(, * or SQL fragments are plain words or nothing. Should the engine still
fail, the same search runs with `icontains` on titles instead of answering 500.

The words are looked up once per search for every kind, straight in the full-text index Wagtail keeps
(SQLite's FTS5 table, PostgreSQL's tsvector columns), not through Wagtail's search querysets, which SQLite
runs as a slow subquery joined on a text object id. Any other database goes through Wagtail's querysets.

The number of SQL queries is fixed whatever the data's size: one for view restrictions, one for SDG targets
(non-English queries), one for the words and one for the translations of the pages they found, then per kind
one for the candidates' facet columns, titles and languages, one per many-to-many facet (themes, goals of
needs, workshop organisers), and one per kind on the page of results for what its hits show. A kind that
lacks a chosen facet is not read at all. Filters, facet counts and the ranking are worked out in Python from
the columns read.
"""

import difflib
import heapq
import json
import logging
import re
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import replace
from functools import lru_cache, reduce
from operator import and_

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from search.backends.base import (
    FACETS,
    Hit,
    SearchResults,
    Suggestion,
)
from search.backends.base import (
    SearchBackend as BaseSearchBackend,
)
from search.kinds import KIND_BY_TYPE, KINDS, clean_filters


def placeholders(count):
    """`count` parameter markers for an IN (...) list: "%s, %s, %s"; "NULL" for none, which matches nothing."""
    return ", ".join(["%s"] * count) or "NULL"


logger = logging.getLogger(__name__)

WORD = re.compile(r"[^\W_]+")
#: Words beyond these are ignored: a longer query is not a search but a paste.
MAX_WORDS = 10
SNIPPET_LENGTH = 220
#: Words shorter than this do not look for SDG target titles (French "de", "la").
TARGET_WORD_MIN = 4


@lru_cache
def _similar_sql(targets, themes, goals):
    """The query of SearchBackend.similar_solutions() for `targets` and `themes` ids given (None: read from the
    tag tables by the solution's id) and `goals` goal numbers: each candidate's (id, goal_index, title, summary,
    url_path, language code, points for the targets and themes it shares), in DPG-then-title order.

    Candidates: live pages of the solution's locale, other than the solution and its translations, outside any
    view restriction, sharing a goal, a target or a theme. Written once per shape; it runs on SQLite and
    PostgreSQL alike (tests/search/test_contract.py checks it against the rules above)."""
    from wagtail.models import Locale, Page, PageViewRestriction

    from solutions.models import SolutionPage

    q = connection.ops.quote_name
    solution, page, locale = (q(model._meta.db_table) for model in (SolutionPage, Page, Locale))
    restriction = q(PageViewRestriction._meta.db_table)
    through = {
        "sdgtarget_id": q(SolutionPage.sdg_targets.through._meta.db_table),
        "theme_id": q(SolutionPage.themes.through._meta.db_table),
    }

    def own(column, n, table):
        ids = (
            f"SELECT own.{q(column)} FROM {table} own WHERE own.{q('solutionpage_id')} = %s"
            if n is None
            else placeholders(n)
        )
        return f"{q(column)} IN ({ids})"

    def shared(column, n):
        table = through[column]
        return f"SELECT {q('solutionpage_id')} FROM {table} WHERE {own(column, n, table)}"

    def points(column, n, weight):
        table = through[column]
        return (
            f"{weight} * (SELECT COUNT(*) FROM {table} WHERE {table}.{q('solutionpage_id')} = p.{q('id')}"
            f" AND {table}.{own(column, n, table)})"
        )

    sharing = [f"s.{q('goal_index')} LIKE %s"] * goals + [
        f"p.{q('id')} IN ({shared('sdgtarget_id', targets)})",
        f"p.{q('id')} IN ({shared('theme_id', themes)})",
    ]
    return (
        f"SELECT p.{q('id')}, s.{q('goal_index')}, p.{q('title')}, s.{q('summary')}, p.{q('url_path')},"
        f" l.{q('language_code')}, {points('sdgtarget_id', targets, 3)} + {points('theme_id', themes, 2)}"
        f" FROM {solution} s INNER JOIN {page} p ON (s.{q('page_ptr_id')} = p.{q('id')})"
        f" INNER JOIN {locale} l ON (p.{q('locale_id')} = l.{q('id')})"
        f" WHERE p.{q('live')} = %s AND p.{q('locale_id')} = %s AND p.{q('translation_key')} <> %s"
        f" AND ({' OR '.join(sharing)})"
        # Driven from the restrictions (usually none), never from the pages: a join let SQLite's planner, once
        # it had statistics, read every page for every candidate.
        f" AND NOT EXISTS (SELECT 1 FROM {restriction} r WHERE EXISTS (SELECT 1 FROM {page} rp"
        f" WHERE rp.{q('id')} = r.{q('page_id')} AND p.{q('path')} LIKE rp.{q('path')} || '%%'))"
        f" ORDER BY s.{q('dpg')} DESC, p.{q('title')} ASC, p.{q('id')} ASC"
    )


def id_list(ids):
    """The ints `ids` as the right-hand side of an `__in` lookup. On SQLite and PostgreSQL the whole list is
    one parameter (a JSON array, an int array) read by a subquery: Django then neither builds nor SQLite
    parses one placeholder per id, which for ten thousand ids cost more than the queries themselves."""
    ids = [int(pk) for pk in ids]
    if not ids:
        return ids  # nothing can match: Django skips the query altogether
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    if connection.vendor == "postgresql":
        # An array literal, one string to send, rather than a list the driver adapts item by item.
        return RawSQL("SELECT unnest(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"])
    return ids


def words_of(text):
    """The words of `text`, lower-cased, without punctuation or operators; at most MAX_WORDS."""
    return [word.lower() for word in WORD.findall(text or "")][:MAX_WORDS]


def mark(text, words, length=SNIPPET_LENGTH):
    """`text` cut around the first matched word, HTML-escaped, with every word wrapped in <mark>.

    Matches are found in the raw text and each piece escaped on its own, so a word can never match inside
    an entity the escaping made ("amp" in "&amp;")."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    pattern = (
        re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.I) if words else None
    )
    start = 0
    if pattern:
        first = pattern.search(text)
        if first and first.start() > length // 3:
            start = text.rfind(" ", 0, first.start() - length // 4) + 1
    piece = text[start : start + length]
    if start + length < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    if start:
        piece = "… " + piece
    if not pattern:
        return escape(piece)
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(escape(piece[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(piece[last:]))
    return "".join(out)


class SearchBackend(BaseSearchBackend):
    """Wagtail's database search plus the ORM. See the module's docstring."""

    name = "database"

    # Reading ------------------------------------------------------------------------------------------------

    def search(self, query):
        savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with savepoint:
                return self._search(query, fulltext=True)
        except DatabaseError:
            # A full-text syntax the cleaning missed, or an index table missing: search titles instead.
            logger.warning("Full-text search failed for %r; searching titles instead.", query.text, exc_info=True)
            return self._search(query, fulltext=False)

    def _search(self, query, fulltext):
        query = replace(query, filters=clean_filters(query.filters))
        words = words_of(query.text)
        private = self._private_paths()
        targets = self._targets_named(words, query.language) if words else []
        chosen_types = set(query.filters.get("type", ()))
        found = self._fulltext_ids(words) if words and fulltext else None
        counts = {facet: {} for facet in FACETS}
        totals, candidates = {}, []
        wanted = query.offset + query.per_page
        folded = [word.casefold() for word in words]
        for position, kind in enumerate(KINDS):
            if not kind.has_facets(query.filters):
                # A facet chosen that this kind lacks (a member has no maturity) leaves the kind out: nothing
                # of it is counted, so nothing of it is read.
                counts["type"][kind.type] = totals[kind.type] = 0
                continue
            rows = kind.one_per_translation(kind.public(private), query.language)
            if words:
                rows = rows.filter(self._matching(kind, words, targets, fulltext, found))
            # The candidates' facet values, titles and languages are read once; the filters, every facet's
            # counts (each with the other facets applied, not its own) and the ranking are then worked out in
            # Python, with no query per facet and none to sort.
            rows, every = kind.candidates(rows, query.filters)
            table = kind.facet_values(rows, every=every and not words)
            narrowed = kind.narrow(table, query.filters)
            total = len(narrowed) if narrowed is not None else 0
            counts["type"][kind.type] = total
            for facet in kind.facets:
                if chosen_types and kind.type not in chosen_types:
                    break
                base = kind.narrow(table, query.filters, skip=facet)
                if base is None:
                    continue
                for key, n in table.count(base, facet).items():
                    counts[facet][key] = counts[facet].get(key, 0) + n
            if chosen_types and kind.type not in chosen_types:
                continue
            totals[kind.type] = total
            if total:
                candidates += table.best(narrowed, folded, query.language, position, wanted)
        top = heapq.nsmallest(wanted, candidates)[query.offset :]
        hits = self._hits(top, words)
        results = SearchResults(
            query=query,
            hits=hits,
            total=sum(totals.values()),
            facets={facet: self._facet_values(facet, counts[facet], query.filters) for facet in FACETS},
        )
        if words and not results.total:
            results.did_you_mean = self._did_you_mean(words, query.language)
        return results

    @staticmethod
    def _facet_values(facet, counts, filters):
        from search.backends.base import FacetValue

        chosen = set(filters.get(facet, ()))
        values = [FacetValue(value, n, value in chosen) for value, n in counts.items() if n or value in chosen]
        values += [FacetValue(value, 0, True) for value in chosen if value not in counts]
        return sorted(values, key=lambda v: (-v.count, v.value))

    @staticmethod
    def _private_paths():
        from wagtail.models import PageViewRestriction

        return list(PageViewRestriction.objects.values_list("page__path", flat=True))

    @staticmethod
    def _targets_named(words, language):
        """Ids of the SDG targets whose title in `language` holds every (long enough) word: a French
        "identité juridique" finds target 16.9 and, through it, English pages tagged with it."""
        from ssn4psi.models import SdgTarget

        long_words = [word for word in words if len(word) >= TARGET_WORD_MIN]
        if language == settings.LANGUAGE_CODE or not long_words:
            return []
        condition = reduce(and_, (Q(**{f"titles__{language}__icontains": word}) for word in long_words))
        return list(SdgTarget.objects.filter(condition).values_list("pk", flat=True)[:50])

    @staticmethod
    def _fulltext_ids(words):
        """{kind type: [pk, ...]} of the objects whose index entry (title or body) holds every word, for all
        kinds in one query on Wagtail's own index tables; None when the database has no direct path
        (the words are then matched through Wagtail's search querysets, kind by kind)."""
        from wagtail.search.backends import get_search_backend
        from wagtail.search.utils import get_descendants_content_types_pks

        backend = get_search_backend()
        engine = type(backend).__name__
        if engine not in ("SQLiteSearchBackend", "PostgresSearchBackend"):
            return None
        from wagtail.models import Page
        from wagtail.search.models import IndexEntry

        kind_of = {}
        for kind in KINDS:
            for content_type in get_descendants_content_types_pks(kind.model):
                kind_of[content_type] = kind.type
        types = ", ".join(str(int(pk)) for pk in kind_of)
        entries = connection.ops.quote_name(IndexEntry._meta.db_table)
        if engine == "SQLiteSearchBackend":
            from wagtail.search.models import SQLiteFTSIndexEntry

            fts = connection.ops.quote_name(SQLiteFTSIndexEntry._meta.db_table)
            # Each word is a quoted FTS5 string: never an operator, a column filter or a prefix.
            match = "{title body} : (" + " AND ".join(f'"{word}"' for word in words) + ")"
            sql = (
                f"SELECT e.content_type_id, e.object_id FROM {fts} f JOIN {entries} e ON e.id = f.rowid "
                f"WHERE {fts} MATCH %s AND e.content_type_id IN ({types})"
            )
            params = [match]
        else:
            # The lexemes Wagtail's PostgreSQL backend builds ('a' & 'b'), with its search configuration, on title
            # and body together; first any of them in the title or the body, which their GIN indexes answer. Each
            # tsquery is made once, in FROM (in WHERE it would be made again for every row, and no index used).
            # A stop word ("the") is no lexeme: ignored, and a query of stop words only finds nothing.
            lexemes = ["'" + word.replace("'", "''").replace("\\", "\\\\") + "'" for word in words]
            config = getattr(backend, "config", None)
            to_tsquery = "to_tsquery(%s::regconfig, %s)" if config else "to_tsquery(%s)"
            sql = (
                f"SELECT e.content_type_id, e.object_id FROM {entries} e, {to_tsquery} anyword, {to_tsquery} every "
                f"WHERE e.content_type_id IN ({types}) AND (e.title @@ anyword OR e.body @@ anyword) "
                "AND (e.title || e.body) @@ every"
            )
            params = []
            for text in (" | ".join(lexemes), " & ".join(lexemes)):
                params += [config, text] if config else [text]

        ids = {kind.type: [] for kind in KINDS}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for content_type, object_id in cursor.fetchall():
                try:
                    ids[kind_of[content_type]].append(int(object_id))
                except ValueError:
                    continue
        # Any translation of a matching page matches too: the reader then sees the one in their language. Every
        # page with translations is in a group holding a page outside the default language (two translations
        # never share a language), so the groups are found from those pages, a few, by index; whatever the
        # number of pages the words matched.
        matched = {pk for kind in KINDS if kind.is_page for pk in ids[kind.type]}
        if matched:
            from wagtail.models import Locale

            pages = connection.ops.quote_name(Page._meta.db_table)
            locales = connection.ops.quote_name(Locale._meta.db_table)
            groups = defaultdict(list)
            with connection.cursor() as cursor:
                # CROSS JOIN keeps SQLite's planner to this order (locales, their pages, their groups) even when
                # its statistics say one locale holds every page; PostgreSQL plans it as any join.
                cursor.execute(
                    f"SELECT DISTINCT page.id, page.content_type_id, page.translation_key FROM {locales} locale "
                    f"CROSS JOIN {pages} other CROSS JOIN {pages} page WHERE locale.language_code <> %s "
                    "AND other.locale_id = locale.id AND page.translation_key = other.translation_key",
                    [settings.LANGUAGE_CODE],
                )
                for pk, content_type, key in cursor.fetchall():
                    groups[key].append((pk, content_type))
            for group in groups.values():
                if len(group) > 1 and any(pk in matched for pk, _type in group):
                    for pk, content_type in group:
                        if pk not in matched and content_type in kind_of:
                            ids[kind_of[content_type]].append(pk)
                            matched.add(pk)
        return ids

    @staticmethod
    def _matching(kind, words, targets, fulltext, found=None):
        """The condition for rows matching `words`: in the full-text index (`found`, the ids of each kind
        when already looked up; any translation of a page matching counts for all), or tagged with one of
        `targets`."""
        model = kind.model
        if fulltext and found is not None:
            ids = None  # the ids found, translations included (_fulltext_ids)
        elif fulltext:
            from wagtail.search.backends import get_search_backend

            found = get_search_backend().search(" ".join(words), model, operator="and", order_by_relevance=False)
            ids = found.get_queryset().order_by().values("pk")
        else:
            ids = model._default_manager.filter(reduce(and_, (Q(title__icontains=w) for w in words))).values("pk")
        if ids is None:
            condition = Q(pk__in=id_list(found[kind.type]))
        elif kind.is_page:
            keys = model._default_manager.filter(pk__in=ids).values("translation_key")
            condition = Q(translation_key__in=keys)
        else:
            condition = Q(pk__in=ids)
        if targets and hasattr(model, "sdg_targets"):
            tagged = model.sdg_targets.through.objects.filter(sdgtarget_id__in=targets)
            owner = f"{model._meta.model_name}_id"
            condition |= Q(pk__in=tagged.values(owner))
        return condition

    @staticmethod
    def _hits(top, words):
        """Hits for the sort keys `top`, in their order: one query per kind among them."""
        by_kind = {}
        for key in top:
            by_kind.setdefault(key[1], []).append(key[3])
        rows = {}
        for position, pks in by_kind.items():
            kind = KINDS[position]
            rows.update({(position, row.pk): row for row in kind.hit_rows(pks)})
        hits = []
        for score, position, _title, pk in top:
            row = rows.get((position, pk))
            if row is None:
                continue  # deleted since the candidates were read
            kind = KINDS[position]
            title, url, language, text = kind.hit_fields(row)
            hits.append(
                Hit(
                    type=kind.type,
                    pk=pk,
                    title=title,
                    url=url,
                    snippet=mark(text, words),
                    language=language,
                    score=float(-score),
                )
            )
        return hits

    def _did_you_mean(self, words, language):
        """The query with each unknown word replaced by the nearest known one, when that finds something."""
        vocabulary = self._vocabulary()
        corrected, changed = [], False
        for word in words:
            if word in vocabulary or word.isdigit():
                corrected.append(word)
                continue
            near = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
            corrected.append(near[0] if near else word)
            changed = changed or bool(near)
        return " ".join(corrected) if changed else None

    @staticmethod
    def _vocabulary():
        """Words of live titles and SDG short titles, cached for ten minutes and renewed when pages change."""
        from django.db.models import Count, Max
        from wagtail.models import Page

        from members.models import Need
        from ssn4psi.models import SdgGoal

        state = Page.objects.filter(live=True).aggregate(n=Count("pk"), last=Max("last_published_at"))
        last = state["last"].timestamp() if state["last"] else 0
        key = f"search:vocabulary:{state['n']}:{last:.0f}"
        vocabulary = cache.get(key)
        if vocabulary is None:
            titles = list(Page.objects.filter(live=True).values_list("title", flat=True))
            titles += Need.objects.filter(member__live=True).values_list("title", flat=True)
            for titles_by_language in SdgGoal.objects.values_list("short_titles", flat=True):
                titles += titles_by_language.values()
            vocabulary = sorted({w for title in titles for w in words_of(title) if len(w) > 2 and not w.isdigit()})
            cache.set(key, vocabulary, 600)
        return vocabulary

    def suggest(self, prefix, language="en", limit=8):
        # Titles are matched with LIKE, which the ORM escapes: the prefix keeps its hyphens ("one-st").
        text = " ".join("".join(ch for ch in (prefix or "") if ch.isprintable()).split())[:100]
        if len(text) < 2 or not words_of(text):
            return []
        private = self._private_paths()
        found = []
        for kind in KINDS:
            if not kind.suggested:
                continue
            rows = kind.one_per_translation(kind.public(private), language)
            starts = Q(title__istartswith=text)
            rows = rows.filter(starts | Q(title__icontains=" " + text))
            rows = rows.annotate(_first=Case(When(starts, then=Value(0)), default=Value(1))).order_by("_first", "title")
            for row in kind.with_hit_fields(rows)[:limit]:
                title, url, _language, _text = kind.hit_fields(row)
                found.append((row._first, kind.type, title, url))
        found.sort(key=lambda item: (item[0], item[2].lower()))
        return [Suggestion(type=t, title=title, url=url) for _f, t, title, url in found[:limit]]

    def similar_solutions(self, solution_pk, limit=5, source=None, tags=None):
        """Live solutions sharing targets (3 points each), themes (2) and goals (1) with this one, best first, then
        digital public goods, then by title; one query, two without `source` (the solution itself, when the
        caller has it loaded: its goal_index, translation_key and locale_id are read from it). `tags`: the
        solution's (target ids, theme keys), when the caller has read them; else the query reads them.

        Hand-written SQL (_similar_sql()): the ORM took longer to build and compile the query than the
        database took to answer it. The database counts the shared targets and themes and orders the candidates
        by DPG status and title (its own collation); the shared goals are counted from the candidates'
        goal_index in Python, and a stable sort by score keeps the database's order among equals."""
        from wagtail.models import Page

        from solutions.models import SolutionPage

        if source is None or source.pk != solution_pk:
            source = (
                SolutionPage.objects.filter(pk=solution_pk).only("goal_index", "translation_key", "locale_id").first()
            )
            if source is None:
                return []
        goals = {number for number in source.goal_index.strip(",").split(",") if number}
        targets, themes = tags if tags is not None else (None, None)
        translation_key = Page._meta.get_field("translation_key").get_db_prep_value(source.translation_key, connection)
        params = []
        for ids in (targets, themes):
            params += [solution_pk] if ids is None else list(ids)  # the points...
        params += [True, source.locale_id, translation_key]
        params += [f"%,{number},%" for number in sorted(goals)]
        for ids in (targets, themes):
            params += [solution_pk] if ids is None else list(ids)  # ...and the candidates
        sql = _similar_sql(
            None if targets is None else len(targets), None if themes is None else len(themes), len(goals)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        scored = sorted(
            ((points + len(goals.intersection(row[1].strip(",").split(","))), row) for *row, points in rows),
            key=lambda pair: -pair[0],
        )
        return [
            Hit(
                type="solution",
                pk=pk,
                title=title,
                # A page with the fields its URL needs, as the database would have given it.
                url=SolutionPage.from_db(None, ["id", "url_path", "page_ptr_id"], [pk, url_path, pk]).get_url() or "",
                snippet=escape(summary[:SNIPPET_LENGTH]),
                language=language,
                score=float(score),
            )
            for score, (pk, _goals, title, summary, url_path, language) in scored[:limit]
        ]

    # Writing: the index is Wagtail's, kept by search.indexing ---------------------------------------------

    def update(self, documents, removed=()):
        """Reindex the objects behind `documents` and drop `removed`, through Wagtail's index."""
        from search.indexing import update_index

        by_label = {}
        for document in documents:
            by_label.setdefault(KIND_BY_TYPE[document.type].model._meta.label, set()).add(document.pk)
        for type_, pk in removed:
            by_label.setdefault(KIND_BY_TYPE[type_].model._meta.label, set()).add(pk)
        for label, pks in by_label.items():
            update_index(label, sorted(pks))

    def rebuild(self, documents, progress=None):
        """Index every document's object again (Wagtail's index is updated in place, never emptied first)."""
        count = 0
        batch = []
        for document in documents:
            batch.append(document)
            if len(batch) >= 500:
                self.update(batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(count)
        if batch:
            self.update(batch)
            count += len(batch)
            if progress:
                progress(count)
        return count
