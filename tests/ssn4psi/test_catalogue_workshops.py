"""Workshops in the catalogue format (version 2): import, export, version 1 still read, errors named,
idempotence, atomicity."""

import copy
import datetime

import pytest
from wagtail.models import Revision

from network.catalogue.exporter import export_catalogue
from network.catalogue.importer import CatalogueError, import_catalogue
from workshops.models import WorkshopPage

pytestmark = pytest.mark.django_db

WORKSHOPS = [
    {
        "key": "cod-session",
        "title": "DR Congo and a2i: knowledge-sharing session",
        "kind": "knowledge_sharing",
        "format": "virtual",
        "summary": "a2i presents myGov.",
        "organisers": ["bgd-a2i", "undp"],
        "exchanges": ["cod-a2i"],
    },
    {
        "key": "dhaka-2018",
        "title": "Second National Workshop, Dhaka",
        "kind": "national_workshop",
        "format": "in_person",
        "start": "2018-06-26",
        "end": "2018-06-27",
        "time_zone": "Asia/Dhaka",
        "venue": "Dhaka",
        "capacity": 80,
        "requires_approval": True,
        "sessions": [
            {"title": "Public policy and governance", "track": "Track 1"},
            {"title": "Opening", "start": "2018-06-26T09:00", "end": "2018-06-26T10:30"},
            {"title": "Group 1", "track": "Track 7", "start": "2018-06-27T09:00:00+06:00", "end": "2018-06-27T11:00"},
        ],
        "materials": [
            {"kind": "report", "title": "Workshop report", "url": "https://example.org/report.pdf", "language": "en"},
            {"kind": "video", "title": "Video clip", "date": "2018-06-28"},
        ],
        "outcomes": [
            {
                "kind": "agreement_signed",
                "text": "An agreement was signed.",
                "date": "2018-06-27",
                "exchange": "cod-a2i",
                "members": ["undp", "bgd-a2i"],
            }
        ],
    },
]


@pytest.fixture
def document(small_world_document):
    small_world_document["workshops"] = copy.deepcopy(WORKSHOPS)
    return small_world_document


def _problems(document):
    with pytest.raises(CatalogueError) as raised:
        import_catalogue(document)
    return [str(problem) for problem in raised.value.problems]


def test_workshops_are_imported_with_their_parts(site, document):
    summary = import_catalogue(document)

    assert summary.counts["workshops"]["created"] == 2
    undated = WorkshopPage.objects.get(key="cod-session")
    assert undated.start is None and undated.end is None and undated.live
    assert undated.get_parent().pk == site.workshops.pk
    assert sorted(m.key for m in undated.organisers.all()) == ["bgd-a2i", "undp"]
    assert [e.key for e in undated.exchanges.all()] == ["cod-a2i"]
    dhaka = WorkshopPage.objects.get(key="dhaka-2018")
    assert dhaka.whole_days and dhaka.local_start.isoformat() == "2018-06-26T00:00:00+06:00"
    assert dhaka.local_end.date() == datetime.date(2018, 6, 27)
    assert (dhaka.capacity, dhaka.requires_approval, dhaka.venue) == (80, True, "Dhaka")
    sessions = list(dhaka.sessions.all())
    assert [s.title for s in sessions] == ["Public policy and governance", "Opening", "Group 1"]
    assert sessions[0].start is None
    assert sessions[1].start == datetime.datetime(2018, 6, 26, 3, 0, tzinfo=datetime.UTC)  # 09:00 in Dhaka
    assert [(m.kind, m.url, m.language) for m in dhaka.materials.all()] == [
        ("report", "https://example.org/report.pdf", "en"),
        ("video", "", ""),
    ]
    outcome = dhaka.outcomes.get()
    assert outcome.exchange.key == "cod-a2i" and sorted(m.key for m in outcome.members.all()) == ["bgd-a2i", "undp"]
    assert not dhaka.registration_is_open() and not undated.registration_is_open()


def test_importing_workshops_twice_changes_nothing(site, document):
    import_catalogue(document)
    revisions = Revision.objects.count()

    summary = import_catalogue(document)

    assert not summary.changed
    assert summary.counts["workshops"]["unchanged"] == 2
    assert Revision.objects.count() == revisions


def test_a_changed_workshop_is_updated_and_only_it(site, document):
    import_catalogue(document)
    document["workshops"][1]["sessions"][0]["title"] = "Public policy"
    document["workshops"][1]["outcomes"][0]["members"] = ["undp"]

    summary = import_catalogue(document)

    assert (summary.counts["workshops"]["updated"], summary.counts["workshops"]["unchanged"]) == (1, 1)
    dhaka = WorkshopPage.objects.get(key="dhaka-2018")
    assert dhaka.sessions.first().title == "Public policy"
    assert [m.key for m in dhaka.outcomes.get().members.all()] == ["undp"]


def test_export_imports_back_to_the_same_catalogue(site, document):
    import_catalogue(document)
    exported = export_catalogue()

    assert exported["format"] == "ssn4psi-catalogue/2"
    dhaka = next(w for w in exported["workshops"] if w["key"] == "dhaka-2018")
    assert (dhaka["start"], dhaka["end"]) == ("2018-06-26", "2018-06-27")
    assert dhaka["sessions"][1] == {
        "title": "Opening",
        "start": "2018-06-26T09:00:00+06:00",
        "end": "2018-06-26T10:30:00+06:00",
    }
    summary = import_catalogue(exported)
    assert not summary.changed
    assert export_catalogue() == exported


def test_a_version_1_file_is_still_read(site, small_world_document):
    small_world_document["format"] = "ssn4psi-catalogue/1"

    summary = import_catalogue(small_world_document)

    assert summary.counts["members"]["created"] == 6


def test_a_version_1_file_with_workshops_is_refused(site, document):
    document["format"] = "ssn4psi-catalogue/1"

    problems = _problems(document)

    assert problems == [
        "document: workshops: is not part of ssn4psi-catalogue/1 (workshops came in ssn4psi-catalogue/2)"
    ]


def test_one_bad_workshop_writes_nothing(site, document):
    document["workshops"][1]["organisers"] = ["ghost"]

    _problems(document)

    from members.models import MemberPage

    assert not MemberPage.objects.exists() and not WorkshopPage.objects.exists()


def _set(path, value):
    def change(document):
        target = document["workshops"]
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set([0, "kind"], "party"), "workshops[0] 'cod-session': kind: 'party' is not one of"),
        (_set([0, "format"], "radio"), "workshops[0] 'cod-session': format: 'radio' is not one of"),
        (_set([1, "end"], "2018-06-25"), "workshops[1] 'dhaka-2018': end: is before its start"),
        (
            _set([1, "sessions", 2, "end"], "2018-06-27T08:00"),
            "workshops[1] 'dhaka-2018' sessions[2]: end: is before its start",
        ),
        (_set([1, "end"], "2018-06-27T10:00"), "workshops[1] 'dhaka-2018': end: must be a date if the start"),
        (_set([1, "start"], "26 June 2018"), "workshops[1] 'dhaka-2018': start: '26 June 2018' is not a date"),
        (
            _set([1, "sessions", 0, "start"], "2018-06-26"),
            "workshops[1] 'dhaka-2018' sessions[0]: start: '2018-06-26' needs a time too",
        ),
        (_set([0, "start"], "2018-06-26"), "workshops[0] 'cod-session': end: is required when"),
        (_set([0, "organisers"], ["bgd", "nobody"]), "workshops[0] 'cod-session': organisers: no member has the key"),
        (_set([0, "exchanges"], ["no-such"]), "workshops[0] 'cod-session': exchanges: no exchange has the key"),
        (
            _set([1, "outcomes", 0, "exchange"], "no-such"),
            "workshops[1] 'dhaka-2018' outcomes[0]: exchange: no exchange has the key 'no-such'",
        ),
        (
            _set([1, "outcomes", 0, "members"], ["ghost"]),
            "workshops[1] 'dhaka-2018' outcomes[0]: members: no member has the key 'ghost'",
        ),
        (_set([0, "colour"], "red"), "workshops[0] 'cod-session': colour: unknown field"),
        (_set([1, "materials", 0, "author"], "x"), "workshops[1] 'dhaka-2018' materials[0]: author: unknown field"),
        (_set([1, "materials", 0, "kind"], "poster"), "workshops[1] 'dhaka-2018' materials[0]: kind: 'poster'"),
        (_set([1, "materials", 0, "url"], "ftp://x"), "workshops[1] 'dhaka-2018' materials[0]: url: 'ftp://x'"),
        (_set([1, "outcomes", 0, "kind"], "party"), "workshops[1] 'dhaka-2018' outcomes[0]: kind: 'party'"),
        (_set([1, "time_zone"], "Mars/Olympus"), "workshops[1] 'dhaka-2018': time_zone: 'Mars/Olympus' is not"),
        (_set([1, "capacity"], 0), "workshops[1] 'dhaka-2018': capacity: must be a whole number"),
        (_set([1, "key"], "cod-session"), "workshops[1] 'cod-session': key: is used by an earlier record too"),
        (_set([1, "sessions"], {}), "workshops[1] 'dhaka-2018': sessions: must be a list"),
    ],
)
def test_every_workshop_problem_names_the_record_and_the_field(site, document, change, expected):
    change(document)

    problems = _problems(document)

    assert any(expected in problem for problem in problems), problems
    assert not WorkshopPage.objects.exists()
