"""Elasticsearch request bodies and the reading of its responses, as data: no server, no database."""

import json

import pytest

from search.backends.base import FACETS, FacetValue, Hit, SearchQuery
from search.backends.elasticsearch import (
    results_from_response,
    search_body,
    similar_body,
    suggest_body,
    suggestions_from_response,
)


def _words_queries(body):
    return body["query"]["bool"]["must"][0]["bool"]["should"]


def test_words_only():
    body = search_body(SearchQuery.build("digital identity"))
    cross, fuzzy, phrase = _words_queries(body)
    assert cross["multi_match"] | {"fields": None} == {
        "query": "digital identity",
        "type": "cross_fields",
        "operator": "and",
        "fields": None,
    }
    assert fuzzy["multi_match"]["fuzziness"] == "AUTO" and fuzzy["multi_match"]["type"] == "best_fields"
    assert phrase["multi_match"]["type"] == "phrase"
    assert "title.en^6" in cross["multi_match"]["fields"] and "title.fr^3" in cross["multi_match"]["fields"]
    assert "post_filter" not in body
    assert (body["from"], body["size"], body["track_total_hits"]) == (0, 20, True)
    assert body["highlight"]["pre_tags"] == ["<mark>"] and body["highlight"]["encoder"] == "html"
    assert body["suggest"]["did_you_mean"]["text"] == "digital identity"
    assert body["suggest"]["did_you_mean"]["phrase"]["field"] == "spelling"
    for facet in FACETS:  # every facet counted, no selection to leave out
        assert body["aggs"][facet] == {
            "filter": {"match_all": {}},
            "aggs": {"values": {"terms": {"field": facet, "size": 300}}},
        }


def test_two_facets_filter_the_hits_and_each_facets_counts_leave_out_its_own_choice():
    query = SearchQuery.build("services", {"goal": ["16", "9"], "theme": ["e-services"]})
    body = search_body(query)
    goal = {"terms": {"goal": ["16", "9"]}}
    theme = {"terms": {"theme": ["e-services"]}}
    assert body["post_filter"] == {"bool": {"filter": [goal, theme]}}
    aggs = body["aggs"]
    assert aggs["goal"]["filter"] == {"bool": {"filter": [theme]}}
    assert aggs["theme"]["filter"] == {"bool": {"filter": [goal]}}
    for facet in ("type", "country", "region", "maturity", "dpg"):
        assert aggs[facet]["filter"] == {"bool": {"filter": [goal, theme]}}
    # The facets are not in the query itself, or the counts of the chosen facets would shrink to the choice.
    assert "terms" not in json.dumps(body["query"])


def test_french_queries_boost_french_fields_and_pages():
    body = search_body(SearchQuery.build("identité juridique", language="fr"))
    fields = _words_queries(body)[0]["multi_match"]["fields"]
    assert "title.fr^6" in fields and "title.en^3" in fields and "target_titles.fr^2" in fields
    assert _words_queries(body)[2]["multi_match"]["fields"] == ["title.fr^4", "summary.fr^2"]
    assert {"term": {"language": {"value": "fr", "boost": 2.0}}} in body["query"]["bool"]["should"]
    assert list(body["highlight"]["fields"])[:2] == ["summary.fr", "body.fr"]
    # One version of each page: the French one, else the English one, else whatever exists.
    (translation,) = body["query"]["bool"]["filter"]
    assert {"term": {"language": "fr"}} in translation["bool"]["should"]


def test_arabic_queries_keep_their_words():
    body = search_body(SearchQuery.build("الهوية القانونية", language="ar"))
    assert _words_queries(body)[0]["multi_match"]["query"] == "الهوية القانونية"
    assert "title.ar^6" in _words_queries(body)[0]["multi_match"]["fields"]


HOSTILE = [
    '"unbalanced quote',
    "title:(a OR b) AND NOT c~2 ^3 *",
    "'; DROP TABLE wagtailcore_page; --",
    "<script>alert(1)</script>",
    "a" * 10_000,
    "word " * 2_000,
    '\\/+-=&&||><!(){}[]^"~*?:',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gives_a_plain_valid_body(text):
    body = search_body(SearchQuery.build(text))
    dumped = json.dumps(body)
    assert "query_string" not in dumped and "<script" not in dumped and ";" not in dumped
    if body["query"]["bool"]["must"] != [{"match_all": {}}]:
        words = _words_queries(body)[0]["multi_match"]["query"]
        assert all(ch.isalnum() or ch == " " for ch in words)
        assert len(words.split()) <= 10 and len(words) <= 200


def test_a_hostile_query_given_to_the_backend_directly_is_still_cut():
    """Even a SearchQuery made without build() (no length cut) sends at most ten plain words."""
    body = search_body(SearchQuery(text="x" * 10_000 + " (" * 500))
    assert _words_queries(body)[0]["multi_match"]["query"] == "x" * 10_000
    body = search_body(SearchQuery(text="a b c d e f g h i j k l m"))
    assert _words_queries(body)[0]["multi_match"]["query"] == "a b c d e f g h i j"


def test_pagination_and_pages_beyond_the_window():
    assert (lambda b: (b["from"], b["size"]))(search_body(SearchQuery.build("x", page=3, per_page=10))) == (20, 10)
    beyond = search_body(SearchQuery.build("x", page=10**9))
    assert (beyond["from"], beyond["size"]) == (0, 0)  # no hits, but still the total and the facets


def test_no_words_lists_everything_by_language_then_title():
    body = search_body(SearchQuery.build("", {"type": ["workshop"]}))
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["sort"] == ["_score", {"title.sort": "asc"}, {"pk": "asc"}]
    assert "suggest" not in body


#: A response shaped exactly as Elasticsearch 8/9 returns it.
RESPONSE = {
    "took": 4,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 27, "relation": "eq"},
        "max_score": 7.5,
        "hits": [
            {
                "_index": "ssn4psi-20250101000000000000",
                "_id": "solution-12",
                "_score": 7.5,
                "_source": {
                    "type": "solution",
                    "pk": 12,
                    "title": "myGov",
                    "url": "/members/bgd/a2i/mygov/",
                    "language": "en",
                    "summary": "All government services in one place.",
                },
                "highlight": {"summary.fr": ["Tous les <mark>services</mark> &lt;publics&gt;"], "body": ["x"]},
                "sort": [7.5, "mygov", 12],
            },
            {
                "_index": "ssn4psi-20250101000000000000",
                "_id": "need-3",
                "_score": 2.0,
                "_source": {
                    "type": "need",
                    "pk": 3,
                    "title": "One-stop access",
                    "url": "/members/cod/#need-cod-one-stop",
                    "language": "fr",
                    "summary": "Citizens <should> find every service.",
                },
                "sort": [2.0, "one-stop access", 3],
            },
        ],
    },
    "aggregations": {
        "type": {
            "doc_count": 30,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": "solution", "doc_count": 25}, {"key": "need", "doc_count": 5}],
            },
        },
        "goal": {
            "doc_count": 27,
            "values": {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": 0,
                "buckets": [{"key": "16", "doc_count": 9}, {"key": "9", "doc_count": 9}, {"key": "5", "doc_count": 2}],
            },
        },
        **{
            facet: {
                "doc_count": 0,
                "values": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []},
            }
            for facet in ("theme", "country", "region", "maturity", "dpg")
        },
    },
    "suggest": {
        "did_you_mean": [{"text": "servces", "offset": 0, "length": 7, "options": [{"text": "services", "score": 0.4}]}]
    },
}


def test_a_response_becomes_results():
    query = SearchQuery.build("services", {"goal": ["16", "3"]}, language="fr", per_page=10)
    results = results_from_response(query, RESPONSE)

    assert results.total == 27 and results.pages == 3
    assert results.hits == [
        Hit(
            "solution",
            12,
            "myGov",
            "/members/bgd/a2i/mygov/",
            "Tous les <mark>services</mark> &lt;publics&gt;",
            "en",
            7.5,
        ),
        Hit(
            "need",
            3,
            "One-stop access",
            "/members/cod/#need-cod-one-stop",
            "Citizens &lt;should&gt; find every service.",
            "fr",
            2.0,
        ),
    ]
    assert set(results.facets) == set(FACETS)
    assert results.facets["type"] == [FacetValue("solution", 25), FacetValue("need", 5)]
    # Ties by value; a chosen value with no match is still listed, selected, with 0.
    assert results.facets["goal"] == [
        FacetValue("16", 9, True),
        FacetValue("9", 9),
        FacetValue("5", 2),
        FacetValue("3", 0, True),
    ]
    assert results.facets["theme"] == []
    assert results.did_you_mean is None  # something was found


def test_did_you_mean_only_when_nothing_was_found():
    empty = {**RESPONSE, "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []}}
    assert results_from_response(SearchQuery.build("servces"), empty).did_you_mean == "services"
    same = {
        **empty,
        "suggest": {
            "did_you_mean": [{"text": "x", "offset": 0, "length": 1, "options": [{"text": "servces", "score": 1}]}]
        },
    }
    assert results_from_response(SearchQuery.build("servces"), same).did_you_mean is None
    assert results_from_response(SearchQuery.build("anything"), {}).total == 0  # a refused search: empty page


def test_suggest_body_and_response():
    body = suggest_body("mygo", language="fr", limit=5)
    must = body["query"]["bool"]["must"][0]["multi_match"]
    assert must["type"] == "bool_prefix" and must["query"] == "mygo"
    assert must["fields"] == ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]
    assert body["size"] == 5
    response = {
        "hits": {
            "total": {"value": 1, "relation": "eq"},
            "hits": [
                {"_id": "solution-1", "_score": 3.1, "_source": {"type": "solution", "title": "myGov", "url": "/m/"}}
            ],
        }
    }
    assert [(s.type, s.title, s.url) for s in suggestions_from_response(response)] == [("solution", "myGov", "/m/")]


def test_similar_solutions_body():
    source = {"type": "solution", "pk": 12, "language": "en", "translation_key": "k-12"}
    body = similar_body("ssn4psi", source, limit=4)
    mlt = body["query"]["bool"]["must"][0]["more_like_this"]
    assert mlt["like"] == [{"_index": "ssn4psi", "_id": "solution-12"}]
    assert {"theme", "target", "goal", "summary"} <= set(mlt["fields"])
    assert body["query"]["bool"]["filter"] == [{"term": {"type": "solution"}}, {"term": {"language": "en"}}]
    assert body["query"]["bool"]["must_not"] == [{"term": {"translation_key": "k-12"}}]
    assert body["size"] == 4
