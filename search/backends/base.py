"""The search interface every backend implements, and the plain data it speaks.

Views, commands and tasks only see these types: a `SearchQuery` in, `SearchResults` out. A backend is a
module exposing a `SearchBackend` class (search.backends.database, search.backends.elasticsearch), chosen by
the `SEARCH_BACKEND` setting and loaded by `search.backends.get_backend()`. Both answer the same contract
tests (tests/search/test_contract.py).
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

#: The kinds of thing the search finds.
TYPES = ("solution", "member", "need", "workshop", "outcome")
#: The facets, in the order the search page shows them. Values are strings:
#: type (one of TYPES), goal ("1".."17"), theme (theme key), country (ISO alpha-3), region (UN M49 region
#: name key used by ssn4psi.regions), maturity (Maturity value), dpg ("yes" / "no").
FACETS = ("type", "goal", "theme", "country", "region", "maturity", "dpg")
#: The languages the site is written in; each has its own analyzer where the backend supports it.
LANGUAGES = ("en", "fr", "es", "ar")
#: The longest query text a backend receives: longer input is cut here by `SearchQuery.build`.
MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 50


@dataclass(frozen=True)
class SearchQuery:
    """What the visitor asked: words, selected facet values ({facet: (value, ...)}), the page's language
    (results in that language first; the other languages' pages still match), and the page of results."""

    text: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    language: str = "en"
    page: int = 1
    per_page: int = 20

    @classmethod
    def build(cls, text="", filters=None, language="en", page=1, per_page=20):
        """A query with its input made safe: text stripped, cut to MAX_QUERY_LENGTH, control characters
        dropped; unknown facets dropped; page and per_page kept within bounds."""
        text = "".join(ch for ch in (text or "") if ch.isprintable() or ch == " ").strip()[:MAX_QUERY_LENGTH]
        clean = {name: tuple(dict.fromkeys(str(v) for v in values if v)) for name, values in (filters or {}).items()}
        clean = {name: values for name, values in clean.items() if name in FACETS and values}
        language = language if language in LANGUAGES else "en"
        try:
            page = max(1, int(page))
        except (TypeError, ValueError):
            page = 1
        per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
        return cls(text=text, filters=clean, language=language, page=page, per_page=per_page)

    @property
    def offset(self):
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with the number of results it would give (the other facets applied, not its
    own), and whether the visitor selected it."""

    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Hit:
    """One result: what it is, where it lives (its URL in its own language), and a snippet of plain text
    with the matched words wrapped in <mark> (already HTML-escaped apart from the marks)."""

    type: str
    pk: int
    title: str
    url: str
    snippet: str = ""
    language: str = "en"
    score: float = 0.0


@dataclass(frozen=True)
class Suggestion:
    """An as-you-type suggestion: a title that starts with (or contains a word starting with) the prefix."""

    type: str
    title: str
    url: str


@dataclass
class SearchResults:
    """A page of hits, the total number of matches, facet counts ({facet: [FacetValue, ...]}, every facet in
    FACETS present), and a corrected query when the words found nothing but a near spelling would."""

    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    did_you_mean: str | None = None

    @property
    def pages(self):
        return max(1, -(-self.total // self.query.per_page))


@dataclass(frozen=True)
class SearchDocument:
    """What a backend indexes for one public object, taken from the database by search.documents: the same
    fields for every type, so one index (or one table) holds them all."""

    type: str
    pk: int
    language: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    goals: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    maturity: str = ""
    dpg: str = ""
    #: SDG target titles in the other site languages, so a French query finds English pages on that target.
    target_titles: tuple[str, ...] = ()


class SearchBackend(ABC):
    """One search engine. Reads never write to the database; writes come from search.indexing's task."""

    name = "abstract"

    def __init__(self, params: Mapping | None = None):
        self.params = dict(params or {})

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Hits for `query` with facet counts. Never raises for anything a visitor can type."""

    @abstractmethod
    def suggest(self, prefix: str, language: str = "en", limit: int = 8) -> list[Suggestion]:
        """Titles for the as-you-type box; an empty list for an empty or junk prefix."""

    @abstractmethod
    def similar_solutions(self, solution_pk: int, limit: int = 5, source=None, tags=None) -> list[Hit]:
        """Live solutions most like the solution with `solution_pk` (never itself). `source`: that solution's
        page, when the caller has it loaded; `tags`: its (SDG target ids, theme keys), when the caller has read
        them. A backend may read them rather than load them again."""

    @abstractmethod
    def update(self, documents: Iterable[SearchDocument], removed: Iterable[tuple[str, int]] = ()) -> None:
        """Index `documents` and take out `removed` ((type, pk) pairs). Idempotent."""

    @abstractmethod
    def rebuild(self, documents: Iterable[SearchDocument], progress: Callable[[int], None] | None = None) -> int:
        """Replace the whole index with `documents`, with no moment where searches find nothing; calls
        `progress(n)` as documents are indexed; returns how many were indexed."""
