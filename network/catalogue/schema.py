"""Validating a catalogue document (pure: no database).

`validate(document)` returns the list of problems, each naming the record and the field, and never
raises for bad input. The importer writes nothing unless this list is empty.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from network.catalogue import FORMAT, FORMAT_V1, FORMATS
from ssn4psi.languages import is_language
from ssn4psi.sdg import parse_code, read_framework
from ssn4psi.vocabulary import THEME_KEYS, AdoptionStatus, ExchangeStatus, Maturity, MemberKind, Modality, Priority

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
TOP_LEVEL = {"format", "members", "solutions", "exchanges", "workshops"}
#: What each version of the format may hold at the top level.
TOP_LEVEL_BY_FORMAT = {FORMAT_V1: TOP_LEVEL - {"workshops"}, FORMAT: TOP_LEVEL}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a document: where (record and field) and what."""

    record: str
    field: str
    message: str

    def __str__(self):
        return f"{self.record}: {self.field}: {self.message}" if self.field else f"{self.record}: {self.message}"


@lru_cache(maxsize=1)
def known_sdg_codes():
    framework = read_framework(languages=("en",))
    return {entry.code for entry in framework["goals"]} | {entry.code for entry in framework["targets"]}


#: The most characters a long text (a description, Markdown) and a summary may hold in a catalogue file.
LONG_TEXT_MAX = 50_000
SUMMARY_MAX = 2_000


# Field specifications: name -> (required, checker). A checker returns an error message or None.
def _text(max_length=LONG_TEXT_MAX, required=True):
    def check(value):
        if not isinstance(value, str):
            return "must be text"
        if required and not value.strip():
            return "must not be empty"
        if max_length and len(value) > max_length:
            return f"must be at most {max_length} characters (it has {len(value)})"
        return None

    return check


def _key(value):
    if not isinstance(value, str) or not KEY.match(value):
        return "must be lowercase letters, digits and hyphens (at most 80), e.g. bgd-a2i"
    return None


def _choice(choices):
    values = sorted(value for value, _label in choices)

    def check(value):
        if value not in values:
            return f"{value!r} is not one of: {', '.join(values)}"
        return None

    return check


def _list_of(item_check):
    def check(value):
        if not isinstance(value, list):
            return "must be a list"
        for item in value:
            message = item_check(item)
            if message:
                return f"{item!r}: {message}"
        if len(set(map(repr, value))) != len(value):
            return "lists a value twice"
        return None

    return check


def _country(value):
    if not isinstance(value, str) or len(value) != 3 or not pycountry.countries.get(alpha_3=value.upper()):
        return f"{value!r} is not an ISO 3166-1 alpha-3 country code"
    return None


def _subdivision(value):
    if not isinstance(value, str) or not pycountry.subdivisions.get(code=value.upper()):
        return f"{value!r} is not an ISO 3166-2 subdivision code"
    return None


def _language(value):
    if not is_language(value):
        return (
            "is not one of the language codes: ISO 639-1 where the language has one (bn), else ISO 639-3 from the"
            " list in docs/catalogue-format.md (fil)"
        )
    return None


def _theme(value):
    if value not in THEME_KEYS:
        return f"is not a theme; themes are {', '.join(sorted(THEME_KEYS))}"
    return None


def _sdg(value):
    try:
        goal, target = parse_code(value)
    except ValueError as error:
        return str(error)
    if (target or str(goal)) not in known_sdg_codes():
        return "is not a target of the SDG framework"
    return None


def _url(value):
    if not isinstance(value, str):
        return "must be a URL"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return f"{value!r} is not an http(s) URL"
    return None


def _optional_url(value):
    return None if value is None else _url(value)


def _optional_text(value):
    return None if value is None else _text(max_length=200, required=False)(value)


def _year(value):
    this_year = datetime.date.today().year
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= this_year + 1:
        return f"must be a year between 1900 and {this_year + 1}"
    return None


def _boolean(value):
    return None if isinstance(value, bool) else "must be true or false"


def _date(value):
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a date written YYYY-MM-DD"
    return None


def _key_figure(value):
    if not isinstance(value, dict) or set(value) != {"value", "label"}:
        return 'must be {"value": ..., "label": ...}'
    return _text(40)(value["value"]) or _text(200)(value["label"])


NEED = {
    "key": (True, _key),
    "title": (True, _text(255)),
    "description": (False, _text(required=False)),
    "sdg_targets": (False, _list_of(_sdg)),
    "themes": (False, _list_of(_theme)),
    "priority": (False, _choice(Priority.choices)),
    "modalities": (False, _list_of(_choice(Modality.choices))),
}
MEMBER = {
    "key": (True, _key),
    "name": (True, _text(255)),
    "kind": (True, _choice(MemberKind.choices)),
    "country": (True, _country),
    "subdivision": (False, _subdivision),
    "parent": (False, _key),
    "languages": (False, _list_of(_language)),
    "summary": (False, _text(SUMMARY_MAX, required=False)),
    "description": (False, _text(required=False)),
    "website": (False, _url),
    "needs": (False, None),  # checked record by record below
}
ADOPTION = {
    "member": (True, _key),
    "year": (False, _year),
    "status": (False, _choice(AdoptionStatus.choices)),
}
SOLUTION = {
    "key": (True, _key),
    "name": (True, _text(255)),
    "owner": (True, _key),
    "summary": (False, _text(SUMMARY_MAX, required=False)),
    "problem": (False, _text(required=False)),
    "description": (False, _text(required=False)),
    "sdg_targets": (False, _list_of(_sdg)),
    "themes": (False, _list_of(_theme)),
    "maturity": (False, _choice(Maturity.choices)),
    "launched": (False, _year),
    "website": (False, _optional_url),
    "licence": (False, _optional_text),
    "repository": (False, _optional_url),
    "dpg": (False, _boolean),
    "languages": (False, _list_of(_language)),
    "resources": (False, _text(required=False)),
    "key_figures": (False, _list_of(_key_figure)),
    "adoptions": (False, None),
}
EXCHANGE = {
    "key": (True, _key),
    "provider": (True, _key),
    "learner": (True, _key),
    "facilitator": (False, _key),
    "solutions": (False, _list_of(_key)),
    "status": (False, _choice(ExchangeStatus.choices)),
    "date": (False, _date),
    "summary": (False, _text(SUMMARY_MAX, required=False)),
}


# -- workshops (version 2) --------------------------------------------------------------------------------
# The workshop vocabularies are the workshops app's model choices, read when first needed (this module is
# imported before the apps are ready).


def _workshop_choice(name):
    def check(value):
        from workshops import models, records

        choices = {
            "kind": models.WorkshopKind,
            "format": models.WorkshopFormat,
            "material": records.MaterialKind,
            "outcome": records.OutcomeKind,
        }[name].choices
        return _choice(choices)(value)

    return check


@lru_cache(maxsize=1)
def _time_zones():
    return zoneinfo.available_timezones()


def _time_zone(value):
    if not isinstance(value, str) or value not in _time_zones():
        return f"{value!r} is not a time zone of the IANA database, e.g. Asia/Dhaka"
    return None


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _moment(value):
    """A date (YYYY-MM-DD: the whole day) or a date and time, with or without its UTC offset."""
    if not isinstance(value, str):
        return f"{value!r} is not a date or a date and time in ISO 8601"
    try:
        if DATE.match(value):
            datetime.date.fromisoformat(value)
        else:
            datetime.datetime.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a date or a date and time in ISO 8601"
    return None


def _date_time(value):
    if isinstance(value, str) and DATE.match(value):
        return f"{value!r} needs a time too, e.g. {value}T09:00"
    return _moment(value)


def parse_moment(value, time_zone, *, end=False):
    """(aware datetime, whole_day) for a checked `value`: a naive time is in `time_zone`; a date stands for its
    first instant, or (`end`) for its last minute, in `time_zone`."""
    zone = zoneinfo.ZoneInfo(time_zone)
    if DATE.match(value):
        day = datetime.date.fromisoformat(value)
        moment = datetime.time(23, 59, 59) if end else datetime.time(0, 0)
        return datetime.datetime.combine(day, moment, tzinfo=zone), True
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment, False


def _capacity(value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return "must be a whole number of places, 1 or more"
    return None


SESSION = {
    "title": (True, _text(255)),
    "track": (False, _text(120, required=False)),
    "start": (False, _date_time),
    "end": (False, _date_time),
    "capacity": (False, _capacity),
}
MATERIAL = {
    "kind": (True, _workshop_choice("material")),
    "title": (True, _text(255)),
    "url": (False, _url),
    "language": (False, _language),
    "date": (False, _date),
}
OUTCOME = {
    "kind": (True, _workshop_choice("outcome")),
    "text": (True, _text()),
    "date": (False, _date),
    "exchange": (False, _key),
    "members": (False, _list_of(_key)),
}
WORKSHOP = {
    "key": (True, _key),
    "title": (True, _text(255)),
    "kind": (True, _workshop_choice("kind")),
    "format": (True, _workshop_choice("format")),
    "start": (False, _moment),
    "end": (False, _moment),
    "time_zone": (False, _time_zone),
    "venue": (False, _text(255, required=False)),
    "online_link": (False, _url),
    "summary": (False, _text(SUMMARY_MAX, required=False)),
    "organisers": (False, _list_of(_key)),
    "exchanges": (False, _list_of(_key)),
    "sessions": (False, None),  # checked record by record below
    "capacity": (False, _capacity),
    "requires_approval": (False, _boolean),
    "materials": (False, None),
    "outcomes": (False, None),
}
WORKSHOP_CHILDREN = (("sessions", SESSION), ("materials", MATERIAL), ("outcomes", OUTCOME))


def _check_workshops(document):
    """Problems of the `workshops` list: fields, nested records, dates in order, keys used once."""
    records = document.get("workshops", [])
    if not isinstance(records, list):
        return [Problem("workshops", "", "must be a list")]
    problems = []
    for index, record in enumerate(records):
        name = _record_name("workshops", index, record)
        found = _check_record(name, record, WORKSHOP)
        if not isinstance(record, dict):
            problems += found
            continue
        for field, spec in WORKSHOP_CHILDREN:
            if field not in record:
                continue
            if not isinstance(record[field], list):
                found.append(Problem(name, field, "must be a list"))
                continue
            for child_index, child in enumerate(record[field]):
                found += _check_record(f"{name} {field}[{child_index}]", child, spec)
        problems += found
        if found:
            continue
        problems += _workshop_dates(name, record)
    if not problems:
        problems += _duplicates("workshops", [(i, w["key"]) for i, w in enumerate(records)])
    return problems


def _workshop_dates(name, record):
    problems = []
    zone = record.get("time_zone", "UTC")
    if ("start" in record) != ("end" in record):
        missing = "end" if "start" in record else "start"
        problems.append(Problem(name, missing, "is required when the other end of the dates is given"))
    elif "start" in record:
        start, whole_start = parse_moment(record["start"], zone)
        end, whole_end = parse_moment(record["end"], zone, end=True)
        if whole_start != whole_end:
            problems.append(Problem(name, "end", "must be a date if the start is a date, a time if it is a time"))
        elif end < start:
            problems.append(Problem(name, "end", "is before its start"))
    for index, session in enumerate(record.get("sessions", [])):
        if "end" in session and "start" not in session:
            problems.append(Problem(f"{name} sessions[{index}]", "start", "is required when the end is given"))
        elif (
            "start" in session
            and "end" in session
            and parse_moment(session["end"], zone)[0] < parse_moment(session["start"], zone)[0]
        ):
            problems.append(Problem(f"{name} sessions[{index}]", "end", "is before its start"))
    return problems


def _record_name(kind, index, record):
    key = record.get("key") if isinstance(record, dict) else None
    return f"{kind}[{index}] {key!r}" if isinstance(key, str) else f"{kind}[{index}]"


def _check_record(name, record, spec):
    if not isinstance(record, dict):
        return [Problem(name, "", "must be an object")]
    problems = [Problem(name, field, "unknown field") for field in record if field not in spec]
    for field, (required, check) in spec.items():
        if field not in record:
            if required:
                problems.append(Problem(name, field, "is required"))
            continue
        message = check(record[field]) if check else None
        if message:
            problems.append(Problem(name, field, message))
    return problems


def _check_list(document, section, spec, children=None):
    """Problems of the records in `document[section]`; `children` = (field, spec, label) for nested lists."""
    records = document.get(section, [])
    if not isinstance(records, list):
        return [Problem(section, "", "must be a list")]
    problems = []
    for index, record in enumerate(records):
        name = _record_name(section, index, record)
        problems += _check_record(name, record, spec)
        if children and isinstance(record, dict) and children[0] in record:
            field, child_spec, label = children
            nested = record[field]
            if not isinstance(nested, list):
                problems.append(Problem(name, field, "must be a list"))
                continue
            for child_index, child in enumerate(nested):
                problems += _check_record(f"{name} {_record_name(label, child_index, child)}", child, child_spec)
    return problems


def _duplicates(section, values):
    seen, problems = set(), []
    for index, value in values:
        if value in seen:
            problems.append(Problem(f"{section}[{index}] {value!r}", "key", "is used by an earlier record too"))
        seen.add(value)
    return problems


def validate(document):
    """All problems in `document` (a parsed JSON or YAML catalogue); an empty list when it is valid.

    References between records (a solution's owner, an adoption's member, an exchange's partners, a
    workshop's organisers and exchanges) are checked by the importer, which knows the members already in the database.
    """
    if not isinstance(document, dict):
        return [Problem("document", "", "must be an object with format, members, solutions and exchanges")]
    version = document.get("format")
    if version not in FORMATS:
        problems = [Problem("document", "format", f"must be {FORMAT!r} (or the older {FORMAT_V1!r})")]
        allowed = TOP_LEVEL
    else:
        problems, allowed = [], TOP_LEVEL_BY_FORMAT[version]
    for field in document:
        if field not in allowed:
            message = "unknown field"
            if field in TOP_LEVEL:
                message = f"is not part of {version} (workshops came in {FORMAT})"
            problems.append(Problem("document", field, message))
    problems += _check_list(document, "members", MEMBER, ("needs", NEED, "needs"))
    problems += _check_list(document, "solutions", SOLUTION, ("adoptions", ADOPTION, "adoptions"))
    problems += _check_list(document, "exchanges", EXCHANGE)
    if "workshops" in allowed:
        problems += _check_workshops(document)
    if problems:
        return problems

    members, solutions, exchanges = (document.get(s, []) for s in ("members", "solutions", "exchanges"))
    problems += _duplicates("members", [(i, m["key"]) for i, m in enumerate(members)])
    problems += _duplicates("solutions", [(i, s["key"]) for i, s in enumerate(solutions)])
    problems += _duplicates("exchanges", [(i, e["key"]) for i, e in enumerate(exchanges)])
    need_keys = [(i, need["key"]) for i, m in enumerate(members) for need in m.get("needs", [])]
    problems += [
        Problem(p.record.replace("members", "needs of members"), p.field, p.message)
        for p in _duplicates("members", need_keys)
    ]
    for index, member in enumerate(members):
        name = _record_name("members", index, member)
        subdivision = member.get("subdivision")
        if subdivision and not subdivision.upper().startswith(
            pycountry.countries.get(alpha_3=member["country"].upper()).alpha_2 + "-"
        ):
            problems.append(Problem(name, "subdivision", f"{subdivision} is not in {member['country']}"))
        if member.get("parent") == member["key"]:
            problems.append(Problem(name, "parent", "a member cannot be its own parent"))
    for index, solution in enumerate(solutions):
        adopters = [adoption["member"] for adoption in solution.get("adoptions", [])]
        if len(set(adopters)) != len(adopters):
            problems.append(Problem(_record_name("solutions", index, solution), "adoptions", "names a member twice"))
    for index, exchange in enumerate(exchanges):
        if exchange["provider"] == exchange["learner"]:
            problems.append(Problem(_record_name("exchanges", index, exchange), "learner", "is the provider too"))
    return problems
