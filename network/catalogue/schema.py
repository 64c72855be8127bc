"""Validating a catalogue document (pure: no database).

`validate(document)` returns the list of problems, each naming the record and the field, and never
raises for bad input. The importer writes nothing unless this list is empty. Each record is checked by its
model (network.catalogue.records), whose errors become problems here; what needs more than one record (keys
used once, a subdivision in its country, dates in order...) is checked here.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

import pycountry
from pydantic import ValidationError

from network.catalogue import FORMAT, FORMAT_V1, FORMATS
from network.catalogue.records import (
    DATE,
    KEY,
    LONG_TEXT_MAX,
    SUMMARY_MAX,
    Exchange,
    Member,
    Solution,
    Workshop,
    nested_records,
)

__all__ = ["KEY", "LONG_TEXT_MAX", "SUMMARY_MAX", "Problem", "parse_moment", "validate"]

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


#: The message of a problem for pydantic's own errors; the models' checks raise theirs with the format's message.
MESSAGES = {"missing": "is required", "extra_forbidden": "unknown field", "model_type": "must be an object"}


def _record_problems(name, record, model):
    """The problems `model` finds in `record`, named `name`: its unknown fields first, then its fields in the
    format's order, then its nested records (a member's needs, a workshop's sessions...) one after the other."""
    try:
        model.model_validate(record)
    except ValidationError as error:
        errors = sorted(error.errors(), key=lambda e: _position(model, e["loc"]))
        return [_problem(name, record, model, e["loc"], _message(e)) for e in errors]
    return []


def _message(error):
    return MESSAGES.get(error["type"], error["msg"])


def _position(model, loc):
    """Where an error at `loc` comes among the record's problems (see _record_problems)."""
    if not loc:
        return (0,)
    field = loc[0]
    if field not in model.model_fields:
        return (1,)  # an unknown field: pydantic lists them in the record's order
    index = list(model.model_fields).index(field)
    child = nested_records(model).get(field)
    if child is None:
        return (2, index)
    return (3, index, *loc[1:2], *_position(child, loc[2:]))


def _problem(name, record, model, loc, message):
    """The Problem of an error at `loc`: in the record itself, or in one of its nested records."""
    if not loc:
        return Problem(name, "", message)
    field = loc[0]
    child = nested_records(model).get(field)
    if child is None or len(loc) == 1:
        return Problem(name, field, message)
    index = loc[1]
    child_record = record[field][index]
    child_name = f"{name} {_child_name(field, index, child_record, child)}"
    return Problem(child_name, loc[2] if len(loc) > 2 else "", message)


def _child_name(field, index, record, model):
    """A nested record's name: by position, with its key when its kind has keys (a member's needs)."""
    return _record_name(field, index, record) if "key" in model.model_fields else f"{field}[{index}]"


def _check_workshops(document):
    """Problems of the `workshops` list: fields, nested records, dates in order, keys used once."""
    records = document.get("workshops", [])
    if not isinstance(records, list):
        return [Problem("workshops", "", "must be a list")]
    problems = []
    for index, record in enumerate(records):
        name = _record_name("workshops", index, record)
        problems += _record_problems(name, record, Workshop) or _workshop_dates(name, record)
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


def _check_list(document, section, model):
    """Problems of the records in `document[section]`."""
    records = document.get(section, [])
    if not isinstance(records, list):
        return [Problem(section, "", "must be a list")]
    return [
        problem
        for index, record in enumerate(records)
        for problem in _record_problems(_record_name(section, index, record), record, model)
    ]


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
    problems += _check_list(document, "members", Member)
    problems += _check_list(document, "solutions", Solution)
    problems += _check_list(document, "exchanges", Exchange)
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
