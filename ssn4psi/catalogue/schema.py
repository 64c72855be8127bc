"""Validating a catalogue document (pure: no database).

`validate(document)` returns the list of problems, each naming the record and the field, and never
raises for bad input. The importer writes nothing unless this list is empty.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from ssn4psi.catalogue import FORMAT
from ssn4psi.languages import is_language
from ssn4psi.sdg import parse_code, read_framework
from ssn4psi.vocabulary import THEME_KEYS, AdoptionStatus, ExchangeStatus, Maturity, MemberKind, Modality, Priority

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
TOP_LEVEL = {"format", "members", "solutions", "exchanges"}


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


# Field specifications: name -> (required, checker). A checker returns an error message or None.
def _text(max_length=None, required=True):
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
    if not isinstance(value, str) or len(value) != 2 or not is_language(value):
        return "is not an ISO 639-1 language code"
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
    "summary": (False, _text(required=False)),
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
    "summary": (False, _text(required=False)),
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
    "summary": (False, _text(required=False)),
}


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

    References between records (a solution's owner, an adoption's member, an exchange's partners) are
    checked by the importer, which knows the members already in the database.
    """
    if not isinstance(document, dict):
        return [Problem("document", "", "must be an object with format, members, solutions and exchanges")]
    problems = [Problem("document", field, "unknown field") for field in document if field not in TOP_LEVEL]
    if document.get("format") != FORMAT:
        problems.append(Problem("document", "format", f"must be {FORMAT!r}"))
    problems += _check_list(document, "members", MEMBER, ("needs", NEED, "needs"))
    problems += _check_list(document, "solutions", SOLUTION, ("adoptions", ADOPTION, "adoptions"))
    problems += _check_list(document, "exchanges", EXCHANGE)
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
