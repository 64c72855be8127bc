"""The Elasticsearch backend (when `ELASTICSEARCH_URL` is set): one index holding every kind, written with
the `elasticsearch.dsl` module of the official client.

Each text field (title, summary, body, SDG target titles) is analysed once with a folding analyser and once
per site language (English, French, Spanish, Arabic stemmers and stop words; Arabic normalisation); facets are
keyword fields named as the facets are. The index lives behind an alias (`INDEX`): a rebuild fills a new
`<INDEX>-<timestamp>` index, then moves the alias in one atomic call and deletes the old index, so searches
never find an empty or half-built index.

Every request is split in two pure functions, so tests check them without a server: one builds the request
body (a dict, through `.to_dict()`), the other turns the response Elasticsearch sends into `SearchResults`.
The client is made on first use from `URL`; importing this module connects to nothing.
"""

import logging
import re
from datetime import UTC, datetime
from functools import cached_property

from django.conf import settings
from django.utils.html import escape
from elasticsearch.dsl import (
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from search.backends.base import (
    FACETS,
    LANGUAGES,
    FacetValue,
    Hit,
    SearchResults,
    Suggestion,
)
from search.backends.base import SearchBackend as BaseSearchBackend

logger = logging.getLogger(__name__)

#: Words of a query: letters and digits only, so quotes, operators and markup never reach Elasticsearch
#: as syntax (multi_match does not parse syntax anyway; this also keeps the query small).
WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 10
SNIPPET_LENGTH = 220
#: Elasticsearch refuses from + size beyond index.max_result_window (10,000 by default).
MAX_RESULT_WINDOW = 10_000
#: Buckets per facet: every country has room.
FACET_SIZE = 300
BULK_CHUNK = 500

# Analysis ---------------------------------------------------------------------------------------------------

folding = analyzer("folding", tokenizer="standard", filter=["lowercase", "asciifolding"])
sortable = normalizer("sortable", filter=["lowercase", "asciifolding"])

LANGUAGE_ANALYZERS = {
    # The built-in language analysers rebuilt as custom ones (as Elasticsearch's reference shows), plus
    # accent folding after stemming, so "identite" finds "identité".
    "en": analyzer(
        "ssn4psi_english",
        tokenizer="standard",
        filter=[
            token_filter("english_possessive_stemmer", "stemmer", language="possessive_english"),
            "lowercase",
            token_filter("english_stop", "stop", stopwords="_english_"),
            token_filter("english_stemmer", "stemmer", language="english"),
            "asciifolding",
        ],
    ),
    "fr": analyzer(
        "ssn4psi_french",
        tokenizer="standard",
        filter=[
            token_filter(
                "french_elision",
                "elision",
                articles_case=True,
                articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
            ),
            "lowercase",
            token_filter("french_stop", "stop", stopwords="_french_"),
            token_filter("french_stemmer", "stemmer", language="light_french"),
            "asciifolding",
        ],
    ),
    "es": analyzer(
        "ssn4psi_spanish",
        tokenizer="standard",
        filter=[
            "lowercase",
            token_filter("spanish_stop", "stop", stopwords="_spanish_"),
            token_filter("spanish_stemmer", "stemmer", language="light_spanish"),
            "asciifolding",
        ],
    ),
    "ar": analyzer(
        "ssn4psi_arabic",
        tokenizer="standard",
        filter=[
            "lowercase",
            "decimal_digit",
            token_filter("arabic_stop", "stop", stopwords="_arabic_"),
            "arabic_normalization",
            token_filter("arabic_stemmer", "stemmer", language="arabic"),
        ],
    ),
}
assert set(LANGUAGE_ANALYZERS) == set(LANGUAGES)


def multilingual(**extra_fields):
    """A text field analysed with folding, with one sub-field per site language (`title.fr`...)."""
    fields = {code: Text(analyzer=LANGUAGE_ANALYZERS[code]) for code in LANGUAGES}
    return Text(analyzer=folding, fields={**fields, **extra_fields})


class Entry(Document):
    """One indexed object (any kind): its identity, text in every analysis, and its facets as keywords.

    Document ids are "<type>-<pk>". `translation_key`/`translations` let a search show each page once, in
    the reader's language when it exists (as the database backend does)."""

    type = Keyword()
    pk = Integer()
    language = Keyword()
    url = Keyword(index=False)
    translation_key = Keyword()
    translations = Keyword()
    title = multilingual(sort=Keyword(normalizer=sortable))
    title_suggest = SearchAsYouType(analyzer=folding)
    summary = multilingual()
    body = multilingual()
    target_titles = multilingual()
    #: The words "did you mean" proposes: titles and summaries, folded.
    spelling = Text(analyzer=folding)
    goal = Keyword()
    target = Keyword()
    theme = Keyword()
    country = Keyword()
    region = Keyword()
    maturity = Keyword()
    dpg = Keyword()

    class Meta:
        dynamic = MetaField("strict")


def index_body():
    """The settings (analysis) and mappings of a new index, as Elasticsearch's create-index API takes them."""
    index = Index("_")
    index.settings(number_of_shards=1, max_result_window=MAX_RESULT_WINDOW)
    index.document(Entry)
    body = index.to_dict()
    # Titles and summaries feed the spelling field.
    for name in ("title", "summary"):
        body["mappings"]["properties"][name]["copy_to"] = ["spelling"]
    return body


def document_id(type_, pk):
    return f"{type_}-{pk}"


def source_of(document):
    """The `_source` of one SearchDocument, through the Document class so its fields are the mapping's."""
    entry = Entry(
        type=document.type,
        pk=document.pk,
        language=document.language,
        url=document.url,
        translation_key=getattr(document, "translation_key", "") or document_id(document.type, document.pk),
        translations=list(getattr(document, "translations", ()) or (document.language,)),
        title=document.title,
        title_suggest=document.title,
        summary=document.summary,
        body=document.body,
        target_titles=list(document.target_titles),
        goal=list(document.goals),
        target=list(document.targets),
        theme=list(document.themes),
        country=list(document.countries),
        region=list(document.regions),
        maturity=document.maturity or None,
        dpg=document.dpg or None,
    )
    return entry.to_dict()


def bulk_operations(documents, removed=(), index=None):
    """The operations of a bulk request: index each document, delete each removed (type, pk)."""
    target = {"_index": index} if index else {}
    operations = []
    for document in documents:
        operations.append({"index": {**target, "_id": document_id(document.type, document.pk)}})
        operations.append(source_of(document))
    for type_, pk in removed:
        operations.append({"delete": {**target, "_id": document_id(type_, pk)}})
    return operations


def alias_actions(alias, new_index, old_indices):
    """The one update_aliases call of a swap: the alias leaves every old index and points at the new one."""
    return [{"remove": {"index": old, "alias": alias}} for old in old_indices] + [
        {"add": {"index": new_index, "alias": alias}}
    ]


# Queries ----------------------------------------------------------------------------------------------------


def words_of(text):
    return WORD.findall(text or "")[:MAX_WORDS]


def one_per_translation(language):
    """Of each page's live translations keep the reader's; else the default language's; else the others."""
    default = settings.LANGUAGE_CODE
    if language == default:
        return Q("term", language=default) | ~Q("term", translations=default)
    return Q("term", language=language) | Q(
        "bool",
        must_not=[Q("term", translations=language)],
        should=[Q("term", language=default), ~Q("term", translations=default)],
        minimum_should_match=1,
    )


def text_fields(language, boosts=None):
    """The fields the words are looked for in, the reader's language boosted."""
    boosts = boosts or {"title": 3, "summary": 2, "body": 1, "target_titles": 1}
    fields = []
    for name, boost in boosts.items():
        fields.append(f"{name}^{boost}")
        for code in LANGUAGES:
            fields.append(f"{name}.{code}^{boost * 2 if code == language else boost}")
    return fields


def matching(words, language):
    """Every word, across fields (exact after analysis) or all in one field with spelling tolerance."""
    text = " ".join(words)
    fields = text_fields(language)
    return Q(
        "bool",
        should=[
            Q("multi_match", query=text, type="cross_fields", fields=fields, operator="and"),
            Q("multi_match", query=text, type="best_fields", fields=fields, operator="and", fuzziness="AUTO"),
            Q("multi_match", query=text, type="phrase", fields=[f"title.{language}^4", f"summary.{language}^2"]),
        ],
        minimum_should_match=1,
    )


def facet_filter(facet, values):
    return Q("terms", **{facet: list(values)})


def chosen_filters(filters, skip=None):
    return [facet_filter(facet, values) for facet, values in filters.items() if facet != skip and facet in FACETS]


def search_body(query):
    """The request body of a search: the words and the translation rule in the query (so the facet counts
    see them), the chosen facets as a post_filter (the hits) and, for each facet, an aggregation filtered by
    the other facets' choices, so each facet's counts leave out its own selection as the catalogue does."""
    words = words_of(query.text)
    language = query.language
    search = Search()
    must = [matching(words, language)] if words else [Q("match_all")]
    search = search.query(
        "bool",
        must=must,
        filter=[one_per_translation(language)],
        should=[Q("term", language={"value": language, "boost": 2.0})],
    )
    chosen = chosen_filters(query.filters)
    if chosen:
        search = search.post_filter("bool", filter=chosen)
    for facet in FACETS:
        others = chosen_filters(query.filters, skip=facet)
        agg = search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        agg.bucket("values", "terms", field=facet, size=FACET_SIZE)
    start, size = query.offset, query.per_page
    if start + size > MAX_RESULT_WINDOW:
        start, size = 0, 0  # beyond the last page Elasticsearch serves: no hits, still the total and facets
    search = search.extra(from_=start, size=size, track_total_hits=True)
    search = search.sort("_score", {"title.sort": "asc"}, {"pk": "asc"})
    search = search.source(["type", "pk", "title", "url", "language", "summary"])
    highlighted = [f"{name}.{language}" for name in ("summary", "body")] + ["summary", "body"]
    search = search.highlight_options(
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        encoder="html",
        fragment_size=SNIPPET_LENGTH,
        number_of_fragments=1,
        require_field_match=False,
    )
    search = search.highlight(*highlighted)
    if words:
        search = search.suggest(
            "did_you_mean",
            " ".join(words),
            phrase={
                "field": "spelling",
                "size": 1,
                "gram_size": 1,
                "max_errors": 2,
                "direct_generator": [{"field": "spelling", "suggest_mode": "always", "min_word_length": 3}],
            },
        )
    return search.to_dict()


def snippet_of(hit, language):
    """The highlighted fragment of the reader's language first, else any, else the summary's start."""
    highlight = hit.get("highlight") or {}
    for name in (f"summary.{language}", f"body.{language}", "summary", "body", *sorted(highlight)):
        if highlight.get(name):
            return highlight[name][0]
    summary = " ".join(((hit.get("_source") or {}).get("summary") or "").split())
    return escape(summary[:SNIPPET_LENGTH])


def hit_of(hit, language="en"):
    source = hit["_source"]
    return Hit(
        type=source["type"],
        pk=int(source["pk"]),
        title=source.get("title", ""),
        url=source.get("url", ""),
        snippet=snippet_of(hit, language),
        language=source.get("language", "en"),
        score=float(hit.get("_score") or 0.0),
    )


def facet_values(facet, aggregation, chosen):
    counts = {str(bucket["key"]): bucket["doc_count"] for bucket in aggregation.get("values", {}).get("buckets", [])}
    values = [FacetValue(value, n, value in chosen) for value, n in counts.items() if n or value in chosen]
    values += [FacetValue(value, 0, True) for value in chosen if value not in counts]
    return sorted(values, key=lambda v: (-v.count, v.value))


def results_from_response(query, response):
    """SearchResults from a search response as Elasticsearch returns it (a dict)."""
    hits = response.get("hits", {})
    total = hits.get("total", 0)
    total = total.get("value", 0) if isinstance(total, dict) else int(total or 0)
    aggregations = response.get("aggregations", {})
    results = SearchResults(
        query=query,
        hits=[hit_of(hit, query.language) for hit in hits.get("hits", [])],
        total=total,
        facets={
            facet: facet_values(facet, aggregations.get(facet, {}), set(query.filters.get(facet, ())))
            for facet in FACETS
        },
    )
    if not total:
        asked = " ".join(words_of(query.text)).lower()
        for entry in response.get("suggest", {}).get("did_you_mean", []):
            for option in entry.get("options", []):
                if option.get("text") and option["text"].lower() != asked:
                    results.did_you_mean = option["text"]
                    break
            if results.did_you_mean:
                break
    return results


def suggest_body(prefix, language="en", limit=8):
    """As-you-type: titles holding words that start with what was typed (search_as_you_type fields)."""
    text = " ".join(words_of(prefix))
    search = Search().query(
        "bool",
        must=[
            Q(
                "multi_match",
                query=text,
                type="bool_prefix",
                operator="and",
                fields=["title_suggest", "title_suggest._2gram", "title_suggest._3gram"],
            )
        ],
        filter=[one_per_translation(language)],
        should=[Q("match_phrase_prefix", title_suggest={"query": text, "boost": 2.0})],
    )
    return search.extra(size=limit).source(["type", "title", "url"]).to_dict()


def suggestions_from_response(response):
    return [
        Suggestion(type=hit["_source"]["type"], title=hit["_source"]["title"], url=hit["_source"].get("url", ""))
        for hit in response.get("hits", {}).get("hits", [])
    ]


def similar_body(alias, source_document, limit=5):
    """more_like_this on a solution's own document: other live solutions in its language, never itself
    nor one of its translations. `source_document` is the solution's `_source`."""
    pk = source_document["pk"]
    search = Search().query(
        "bool",
        must=[
            Q(
                "more_like_this",
                fields=["title", "summary", "body", "target_titles", "theme", "target", "goal"],
                like=[{"_index": alias, "_id": document_id("solution", pk)}],
                min_term_freq=1,
                min_doc_freq=1,
                max_query_terms=40,
                minimum_should_match="10%",
            )
        ],
        filter=[Q("term", type="solution"), Q("term", language=source_document.get("language", "en"))],
        must_not=[Q("term", translation_key=source_document.get("translation_key", document_id("solution", pk)))],
    )
    return search.extra(size=limit).source(["type", "pk", "title", "url", "language", "summary"]).to_dict()


def similar_from_response(response, exclude_pk):
    return [hit_of(hit) for hit in response.get("hits", {}).get("hits", []) if hit["_source"]["pk"] != exclude_pk]


class SearchBackend(BaseSearchBackend):
    """Elasticsearch behind an alias. Params: URL (the cluster), INDEX (the alias name)."""

    name = "elasticsearch"

    @property
    def alias(self):
        return self.params.get("INDEX") or "ssn4psi"

    @cached_property
    def client(self):
        from elasticsearch import Elasticsearch

        return Elasticsearch(self.params["URL"], request_timeout=self.params.get("TIMEOUT", 10))

    # Reading --------------------------------------------------------------------------------------------------

    def search(self, query):
        from elasticsearch import BadRequestError

        try:
            response = self.client.search(index=self.alias, body=search_body(query))
        except BadRequestError:
            # Nothing a visitor types should get here (the words are letters and digits); if it does, an
            # empty page rather than an error page.
            logger.warning("Elasticsearch refused the search for %r.", query.text, exc_info=True)
            return results_from_response(query, {})
        return results_from_response(query, response.body)

    def suggest(self, prefix, language="en", limit=8):
        if len(" ".join(words_of(prefix))) < 2:
            return []
        response = self.client.search(index=self.alias, body=suggest_body(prefix, language, limit))
        return suggestions_from_response(response.body)

    def similar_solutions(self, solution_pk, limit=5, source=None, tags=None):
        """As the base class says; the source and its tags are read from the index (it holds what the query needs)."""
        from elasticsearch import NotFoundError

        try:
            source = self.client.get(index=self.alias, id=document_id("solution", solution_pk)).body["_source"]
        except NotFoundError:
            return []
        response = self.client.search(index=self.alias, body=similar_body(self.alias, source, limit))
        return similar_from_response(response.body, solution_pk)

    # Writing --------------------------------------------------------------------------------------------------

    def _bulk(self, operations, index):
        """Send operations in chunks; raise if Elasticsearch reports an error other than deleting a missing
        document. Returns how many documents were indexed."""
        indexed = 0
        for start in range(0, len(operations), 2 * BULK_CHUNK):
            chunk = operations[start : start + 2 * BULK_CHUNK]
            response = self.client.bulk(operations=chunk, index=index).body
            if response.get("errors"):
                failures = [
                    result
                    for item in response["items"]
                    for action, result in item.items()
                    if result.get("error") and not (action == "delete" and result.get("status") == 404)
                ]
                if failures:
                    raise RuntimeError(f"Elasticsearch refused {len(failures)} documents: {failures[:3]}")
            indexed += sum(1 for item in response.get("items", []) if "index" in item)
        return indexed

    def update(self, documents, removed=()):
        operations = bulk_operations(list(documents), list(removed))
        if operations:
            self._bulk(operations, self.alias)

    def new_index_name(self):
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def rebuild(self, documents, progress=None):
        """Fill a new index, then swap the alias to it in one call and delete the old indices."""
        client = self.client
        new_index = self.new_index_name()
        client.indices.create(index=new_index, **index_body())
        count = 0
        try:
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) >= BULK_CHUNK:
                    count += self._bulk(bulk_operations(batch), new_index)
                    batch = []
                    if progress:
                        progress(count)
            if batch:
                count += self._bulk(bulk_operations(batch), new_index)
            if progress:
                progress(count)
            client.indices.refresh(index=new_index)
        except Exception:
            client.indices.delete(index=new_index)
            raise
        old = []
        if client.indices.exists_alias(name=self.alias):
            old = list(client.indices.get_alias(name=self.alias).body)
        client.indices.update_aliases(actions=alias_actions(self.alias, new_index, old))
        for index in old:
            client.indices.delete(index=index)
        return count
