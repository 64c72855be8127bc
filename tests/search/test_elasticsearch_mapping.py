"""The Elasticsearch index's settings and mappings, checked as data (no server here)."""

from search.backends.base import FACETS, LANGUAGES, SearchDocument
from search.backends.elasticsearch import bulk_operations, index_body, source_of
from search.documents import IndexedDocument


def test_each_site_language_has_its_analyser():
    analysis = index_body()["settings"]["analysis"]
    analyzers, filters = analysis["analyzer"], analysis["filter"]
    assert analyzers["ssn4psi_english"]["filter"] == [
        "english_possessive_stemmer",
        "lowercase",
        "english_stop",
        "english_stemmer",
        "asciifolding",
    ]
    assert filters["english_stemmer"] == {"type": "stemmer", "language": "english"}
    assert analyzers["ssn4psi_french"]["filter"][0] == "french_elision"
    assert filters["french_elision"]["type"] == "elision" and "qu" in filters["french_elision"]["articles"]
    assert filters["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert filters["spanish_stop"] == {"type": "stop", "stopwords": "_spanish_"}
    assert filters["spanish_stemmer"] == {"type": "stemmer", "language": "light_spanish"}
    # Arabic: stop words, then normalisation (hamza, alef, teh marbuta forms), then the stemmer.
    arabic = analyzers["ssn4psi_arabic"]["filter"]
    assert arabic.index("arabic_stop") < arabic.index("arabic_normalization") < arabic.index("arabic_stemmer")
    assert "decimal_digit" in arabic
    assert filters["arabic_stemmer"] == {"type": "stemmer", "language": "arabic"}
    assert analyzers["folding"] == {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}


def test_text_fields_have_one_sub_field_per_language():
    properties = index_body()["mappings"]["properties"]
    names = {"en": "ssn4psi_english", "fr": "ssn4psi_french", "es": "ssn4psi_spanish", "ar": "ssn4psi_arabic"}
    for field in ("title", "summary", "body", "target_titles"):
        assert properties[field]["type"] == "text" and properties[field]["analyzer"] == "folding"
        for code in LANGUAGES:
            assert properties[field]["fields"][code] == {"type": "text", "analyzer": names[code]}, (field, code)
    assert properties["title"]["fields"]["sort"] == {"type": "keyword", "normalizer": "sortable"}
    assert properties["title"]["copy_to"] == ["spelling"] == properties["summary"]["copy_to"]


def test_facets_are_keywords_and_titles_suggest_as_you_type():
    mappings = index_body()["mappings"]
    properties = mappings["properties"]
    for facet in FACETS:
        assert properties[facet] == {"type": "keyword"}, facet
    assert properties["title_suggest"] == {"type": "search_as_you_type", "analyzer": "folding"}
    assert properties["url"] == {"type": "keyword", "index": False}
    assert mappings["dynamic"] == "strict"  # a field the mapping lacks is an error, not a guess


def test_a_document_becomes_its_source_and_bulk_operations():
    document = IndexedDocument(
        type="solution",
        pk=7,
        language="fr",
        title="Identité numérique",
        url="/fr/x/",
        summary="Une carte.",
        goals=("16",),
        targets=("16.9",),
        themes=("digital-identity",),
        countries=("SEN",),
        regions=("africa",),
        maturity="pilot",
        dpg="no",
        target_titles=("Provide legal identity for all",),
        translation_key="abc",
        translations=("en", "fr"),
    )
    source = source_of(document)
    assert source == {
        "type": "solution",
        "pk": 7,
        "language": "fr",
        "url": "/fr/x/",
        "translation_key": "abc",
        "translations": ["en", "fr"],
        "title": "Identité numérique",
        "title_suggest": "Identité numérique",
        "summary": "Une carte.",
        "body": "",
        "target_titles": ["Provide legal identity for all"],
        "goal": ["16"],
        "target": ["16.9"],
        "theme": ["digital-identity"],
        "country": ["SEN"],
        "region": ["africa"],
        "maturity": "pilot",
        "dpg": "no",
    }
    assert set(source) <= set(index_body()["mappings"]["properties"])
    plain = SearchDocument(type="member", pk=3, language="en", title="UNDP", url="/m/")
    assert source_of(plain)["translation_key"] == "member-3" and source_of(plain)["translations"] == ["en"]
    assert bulk_operations([document], [("need", 4)], index="ssn4psi-1") == [
        {"index": {"_index": "ssn4psi-1", "_id": "solution-7"}},
        source,
        {"delete": {"_index": "ssn4psi-1", "_id": "need-4"}},
    ]
