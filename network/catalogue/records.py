"""The records of the catalogue format (docs/catalogue-format.md), written once as pydantic models.

Each field's type carries its check and its JSON Schema together (a `Rule`): the check returns the message a
catalogue problem shows ("must be true or false"), raised as a PydanticCustomError of type
`catalogue`, and the JSON Schema says the same to other programs (a pattern, an enum, a length). `schema.validate()`
runs the models and names each problem's record and field; the exporter builds its records through them;
`document_json_schema()` publishes them (docs/catalogue.schema.json).

Pure: no database, and importable before Django's apps are ready. The workshops app's vocabularies (kinds,
formats, materials, outcomes) are its models' choices, so they are read when first needed, not on import.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, get_args

import pycountry
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import PydanticCustomError, core_schema
from typing_extensions import TypeAliasType

from network.catalogue import FORMAT
from ssn4psi.languages import is_language, language_choices
from ssn4psi.sdg import parse_code, read_framework, sort_key
from ssn4psi.vocabulary import (
    THEME_KEYS,
    THEMES,
    AdoptionStatus,
    ExchangeStatus,
    Maturity,
    MemberKind,
    Modality,
    Priority,
)

SCHEMA_ID = "https://ssn4psi.org/schemas/ssn4psi-catalogue-2.schema.json"
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The most characters a long text (a description, Markdown) and a summary may hold in a catalogue file.
LONG_TEXT_MAX = 50_000
SUMMARY_MAX = 2_000


# -- rules: a check with its JSON Schema -----------------------------------------------------------------------


def _refuse(message):
    """Stop pydantic's validation with `message`, the format's own words, as the error's message."""
    raise PydanticCustomError("catalogue", "{message}", {"message": message})


@dataclass(frozen=True, eq=False)
class Rule:
    """How a field's value is checked and described. `check(value)` returns what is wrong with the value (the
    message of a catalogue problem) or None; `json_schema` says the same to a JSON Schema reader, as a dict or as
    a function returning one (for vocabularies read when first needed).

    The check replaces pydantic's own validation (no coercion: "2019" is not a year), so that the messages are
    the format's."""

    check: Any
    json_schema: Any

    def validate(self, value):
        if message := self.check(value):
            _refuse(message)
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(self, schema, handler):
        return dict(self.json_schema() if callable(self.json_schema) else self.json_schema)


@dataclass(frozen=True, eq=False)
class Items:
    """A list whose items pass `check`, none twice: one message for the whole list, naming the first bad item
    (`'xx': is not one of the language codes...`). The items are then read as the list's item type."""

    check: Any

    def validate(self, value):
        if message := _list_of(self.check)(value):
            _refuse(message)
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_before_validator_function(self.validate, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        return handler(schema) | {"uniqueItems": True}


class RecordList:
    """A list of nested records (a member's needs, a workshop's sessions...): each record is checked by its own
    model, and its problems name it (`workshops[1] 'dhaka-2018' sessions[3]: end: ...`)."""

    @staticmethod
    def validate(value):
        if not isinstance(value, list):
            _refuse("must be a list")
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_before_validator_function(self.validate, handler(source))


def ListOf(item_type, check):
    """A list of `item_type` values that pass `check`, each once."""
    return Annotated[list[item_type], Items(check)]


def Records(model):
    """A list of nested `model` records."""
    return Annotated[list[model], RecordList()]


@cache
def nested_records(model):
    """{field name: model} of the lists of nested records `model` holds (Records fields)."""
    return {
        name: get_args(field.annotation)[0]
        for name, field in model.model_fields.items()
        if any(isinstance(item, RecordList) for item in field.metadata)
    }


# -- checks: each returns the problem's message or None --------------------------------------------------------


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


def _choice(values):
    values = sorted(values)

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
    if not isinstance(value, str) or value not in THEME_KEYS:
        return f"is not a theme; themes are {', '.join(sorted(THEME_KEYS))}"
    return None


@lru_cache(maxsize=1)
def known_sdg_codes():
    """The codes of the SDG framework's goals ("16") and targets ("16.6")."""
    framework = read_framework(languages=("en",))
    return {entry.code for entry in framework["goals"]} | {entry.code for entry in framework["targets"]}


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
    except DjangoValidationError:
        return f"{value!r} is not an http(s) URL"
    return None


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


@lru_cache(maxsize=1)
def _time_zones():
    return zoneinfo.available_timezones()


def _time_zone(value):
    if not isinstance(value, str) or value not in _time_zones():
        return f"{value!r} is not a time zone of the IANA database, e.g. Asia/Dhaka"
    return None


def _capacity(value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return "must be a whole number of places, 1 or more"
    return None


# -- field types -----------------------------------------------------------------------------------------------


def Named(name, check, json_schema):
    """A text type checked by `check` and described by `json_schema` (a dict, or a function returning one), under
    `name` in the JSON Schema's $defs."""
    return TypeAliasType(name, Annotated[str, Rule(check, json_schema)])


def Text(max_length=LONG_TEXT_MAX, required=True):
    """Plain text (or Markdown where the field says so) of at most `max_length` characters; not blank when
    `required`."""
    schema = {"type": "string", "maxLength": max_length} | ({"pattern": r"\S"} if required else {})
    return Annotated[str, Rule(_text(max_length, required), schema)]


@cache
def Choice(choices):
    """One of the keys of a vocabulary (Django TextChoices) of ssn4psi.vocabulary, as a named JSON Schema enum."""
    return Named(choices.__name__, _choice(choices.values), {"type": "string", "enum": list(choices.values)})


def _workshop_vocabulary(name):
    """The workshops app's TextChoices called `name`: imported when first needed, once Django's apps are ready."""
    from workshops import models, records

    vocabularies = (models.WorkshopKind, models.WorkshopFormat, records.MaterialKind, records.OutcomeKind)
    return next(choices for choices in vocabularies if choices.__name__ == name)


@cache
def WorkshopChoice(name):
    """One of the keys of a vocabulary of the workshops app (WorkshopKind, WorkshopFormat, MaterialKind,
    OutcomeKind). Its values are read when first needed: the app's models cannot be imported before Django's apps
    are ready, and this module is."""

    def values():
        return list(_workshop_vocabulary(name).values)

    return Named(name, lambda value: _choice(values())(value), lambda: {"type": "string", "enum": values()})


_TIME = r"T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"

Key = Named(
    "Key",
    _key,
    {
        "type": "string",
        "pattern": KEY.pattern,
        "description": "Lowercase letters, digits and hyphens, at most 80 characters, starting with a letter or digit "
        "(bgd-a2i). Keys are unique within their kind of record.",
    },
)
Country = Named(
    "Country",
    _country,
    lambda: {
        "type": "string",
        "enum": sorted(country.alpha_3 for country in pycountry.countries),
        "description": "ISO 3166-1 alpha-3 country code (BGD).",
    },
)
Subdivision = Named(
    "Subdivision",
    _subdivision,
    {
        "type": "string",
        "pattern": r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        "description": "ISO 3166-2 subdivision code (PH-14), in the member's country.",
    },
)
Language = Named(
    "Language",
    _language,
    lambda: {
        "type": "string",
        "enum": sorted(code for code, _name in language_choices()),
        "description": "BCP 47 primary language subtag: ISO 639-1 where the language has one (bn), else ISO 639-3 "
        "(fil).",
    },
)
Theme = Named(
    "Theme",
    _theme,
    {
        "type": "string",
        "enum": [key for key, _label, _description in THEMES],
        "description": "A theme's key (see Themes in docs/catalogue-format.md).",
    },
)
SdgCode = Named(
    "SdgCode",
    _sdg,
    lambda: {
        "type": "string",
        "enum": sorted(known_sdg_codes(), key=sort_key),
        "description": 'An SDG target ("16.6") or a whole goal ("16").',
    },
)
Url = Named(
    "Url",
    _url,
    {
        "type": "string",
        "format": "uri",
        "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
        "maxLength": URLValidator.max_length,
        "description": "An http or https URL.",
    },
)
Date = Named(
    "Date", _date, {"type": "string", "format": "date", "pattern": DATE.pattern, "description": "A date, YYYY-MM-DD."}
)
DateTime = Named(
    "DateTime",
    _date_time,
    {
        "type": "string",
        "pattern": rf"^\d{{4}}-\d{{2}}-\d{{2}}{_TIME}$",
        "description": "A date and time in ISO 8601 (2018-06-26T09:00:00+06:00), with its UTC offset or without it "
        "(2018-06-26T09:00: then read in the workshop's time zone).",
    },
)
DateOrDateTime = Named(
    "DateOrDateTime",
    _moment,
    {
        "type": "string",
        "pattern": rf"^\d{{4}}-\d{{2}}-\d{{2}}({_TIME})?$",
        "description": "A date (2018-06-26: the whole day in the workshop's time zone) or a date and time (see "
        "DateTime).",
    },
)
TimeZone = Named(
    "TimeZone",
    _time_zone,
    {
        "type": "string",
        "pattern": r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$",
        "description": "A time zone of the IANA database (Asia/Dhaka).",
    },
)
Year = Annotated[int, Rule(_year, {"type": "integer", "minimum": 1900})]
Capacity = Annotated[int, Rule(_capacity, {"type": "integer", "minimum": 1})]
Boolean = Annotated[bool, Rule(_boolean, {"type": "boolean"})]
Keys = ListOf(Key, _key)
Languages = ListOf(Language, _language)
SdgCodes = ListOf(SdgCode, _sdg)
Themes = ListOf(Theme, _theme)


# -- records ---------------------------------------------------------------------------------------------------

#: What the format leaves out of a record rather than write it empty.
EMPTY = (None, "", [], {})


class Record(BaseModel):
    """A record of the catalogue format: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def of(cls, **values):
        """The record of `values` as the database holds them, the empty ones left out, as the exporter writes it.

        Not validated: what an editor saved that the format refuses (a longer summary, an ftp:// link) is
        written as it is, and the import of the file names it. A name that is not a field is an error."""
        unknown = values.keys() - cls.model_fields.keys()
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
        return cls.model_construct(**{name: value for name, value in values.items() if value not in EMPTY})

    def as_data(self):
        """The record as the format writes it: the fields it was given, in the format's order."""
        return self.model_dump(exclude_unset=True)


class Need(Record):
    """What a member wants to learn, tagged for matchmaking."""

    key: Key = Field(description="The need's key, unique across all members' needs.")
    title: Text(255) = Field(description="What the member wants to learn, in a line.")
    description: Text(required=False) = Field(None, description="The need in the member's words.")
    sdg_targets: SdgCodes = Field(None, description='SDG targets ("16.6") or whole goals ("16") it serves.')
    themes: Themes = Field(None, description="The themes it belongs to.")
    priority: Choice(Priority) = Field("medium", description="How much it matters to the member.")
    modalities: ListOf(Choice(Modality), _choice(Modality.values)) = Field(
        None, description="How the member would like to learn."
    )


class Member(Record):
    """A member of the network: a government, an agency, an international organisation... with its needs. Its
    page sits under its parent member's (a2i under Bangladesh), or in the directory."""

    key: Key = Field(description="The member's key.")
    name: Text(255) = Field(description="The member's name.")
    kind: Choice(MemberKind) = Field(description="What kind of member it is.")
    country: Country = Field(description="The member's country, ISO 3166-1 alpha-3 (BGD).")
    subdivision: Subdivision = Field(None, description="ISO 3166-2 subdivision (PH-14), in that country.")
    parent: Key = Field(None, description="The parent member's key (a2i's parent is bgd); no cycles.")
    languages: Languages = Field(None, description="The languages the member works in.")
    summary: Text(SUMMARY_MAX, required=False) = Field(None, description="One or two sentences shown in listings.")
    description: Text(required=False) = Field(None, description="The member's description, in Markdown.")
    website: Url = Field(None, description="The member's website.")
    needs: Records(Need) = Field(None, description="What the member wants to learn (replaces its current needs).")


class KeyFigure(Record):
    """A figure that tells a solution's reach: {"value": "2,500+", "label": "government-to-citizen services"}."""

    value: Text(40) = Field(description='The figure, as it is shown ("2,500+").')
    label: Text(200) = Field(description="What it counts.")


def _key_figure(value):
    if not isinstance(value, dict) or set(value) != {"value", "label"}:
        return 'must be {"value": ..., "label": ...}'
    try:
        KeyFigure.model_validate(value)
    except ValidationError as error:
        return error.errors()[0]["msg"]
    return None


class Adoption(Record):
    """A member that took up a solution (not its owner; a member once per solution)."""

    member: Key = Field(description="The adopting member's key.")
    year: Year = Field(None, description="The year of the adoption (1900 to next year).")
    status: Choice(AdoptionStatus) = Field("adopted", description="How far the adoption went.")


class Solution(Record):
    """A public-service innovation shared by its owner member, with its key figures and adoptions. Its page sits
    under its owner's."""

    key: Key = Field(description="The solution's key.")
    name: Text(255) = Field(description="The solution's name.")
    owner: Key = Field(description="The key of the member that offers it.")
    summary: Text(SUMMARY_MAX, required=False) = Field(None, description="One or two sentences shown in listings.")
    problem: Text(required=False) = Field(None, description="The problem it solves, in Markdown.")
    description: Text(required=False) = Field(None, description="The solution, in Markdown.")
    sdg_targets: SdgCodes = Field(None, description='SDG targets ("16.6") or whole goals ("16") it serves.')
    themes: Themes = Field(None, description="The themes it belongs to.")
    maturity: Choice(Maturity) = Field(None, description="How far it has gone.")
    launched: Year = Field(None, description="The year it was launched (1900 to next year).")
    website: Url | None = Field(None, description="Its website.")
    licence: Text(200, required=False) | None = Field(None, description="Its licence (Apache-2.0).")
    repository: Url | None = Field(None, description="Its source repository.")
    languages: Languages = Field(None, description="The languages it is offered in.")
    resources: Text(required=False) = Field(None, description="What it takes to adopt it.")
    key_figures: ListOf(KeyFigure, _key_figure) = Field(None, description="Figures that tell its reach.")
    adoptions: Records(Adoption) = Field(None, description="The members that took it up (not its owner).")
    dpg: Boolean = Field(None, description="Whether it is a recognised digital public good.")


class Exchange(Record):
    """A provider member sharing what it knows with a learner member, possibly with a facilitator."""

    key: Key = Field(description="The exchange's key.")
    provider: Key = Field(description="The key of the member that shares its knowledge.")
    learner: Key = Field(description="The key of the member that learns (not the provider).")
    facilitator: Key = Field(None, description="The key of the member that brings them together.")
    solutions: Keys = Field(None, description="The keys of the solutions it is about.")
    status: Choice(ExchangeStatus) = Field(None, description="How far it has gone.")
    date: Date = Field(None, description="When it took place, YYYY-MM-DD.")
    summary: Text(SUMMARY_MAX, required=False) = Field(None, description="What it is about.")


class Session(Record):
    """A session of a workshop's programme; one the programme names without a time has no start nor end."""

    title: Text(255) = Field(description="The session's title.")
    track: Text(120, required=False) = Field(None, description="The track it belongs to.")
    start: DateTime = Field(None, description="When it starts (date and time); required when an end is given.")
    end: DateTime = Field(None, description="When it ends (date and time), not before its start.")
    capacity: Capacity = Field(None, description="How many places it has (left out: no limit).")


class Material(Record):
    """A workshop's material: a report, a video... where it can be read, if it has a copy online."""

    kind: WorkshopChoice("MaterialKind") = Field(description="What kind of material it is.")
    title: Text(255) = Field(description="The material's title.")
    url: Url = Field(
        None, description="Where it can be read (a document of the site: its full address); left out without one."
    )
    language: Language = Field(None, description="The material's language.")
    date: Date = Field(None, description="Its date, YYYY-MM-DD.")


class Outcome(Record):
    """What came out of a workshop: an agreement, a follow-up exchange, a pilot, a policy change..."""

    kind: WorkshopChoice("OutcomeKind") = Field(description="What kind of outcome it is.")
    text: Text() = Field(description="What happened.")
    date: Date = Field(None, description="When it happened, YYYY-MM-DD.")
    exchange: Key = Field(None, description="The key of the exchange it belongs to.")
    members: Keys = Field(None, description="The keys of the members involved.")


class Workshop(Record):
    """A workshop (format version 2): a page under /workshops/, found again by its key, with its sessions,
    materials and outcomes. Registrations and their window are set in the editor, not in the format."""

    key: Key = Field(description="The workshop's key.")
    title: Text(255) = Field(description="The workshop's title.")
    kind: WorkshopChoice("WorkshopKind") = Field(description="What kind of workshop it is.")
    format: WorkshopChoice("WorkshopFormat") = Field(description="Where it takes place.")
    start: DateOrDateTime = Field(
        None, description="When it starts: a date (whole days) or a date and time; both ends or neither."
    )
    end: DateOrDateTime = Field(
        None, description="When it ends, not before its start: a date if the start is a date, else a time."
    )
    time_zone: TimeZone = Field("UTC", description="The time zone its dates and times without an offset are in.")
    venue: Text(255, required=False) = Field(None, description="Where it takes place.")
    online_link: Url = Field(None, description="The link to join it (shown only to confirmed participants).")
    summary: Text(SUMMARY_MAX, required=False) = Field(None, description="What it is about.")
    organisers: Keys = Field(None, description="The keys of the members that organise it.")
    exchanges: Keys = Field(None, description="The keys of the exchanges it serves.")
    sessions: Records(Session) = Field(None, description="Its programme.")
    capacity: Capacity = Field(None, description="How many places it has (left out: no limit).")
    materials: Records(Material) = Field(None, description="Its reports, videos, presentations...")
    outcomes: Records(Outcome) = Field(None, description="What came out of it.")
    requires_approval: Boolean = Field(False, description="Whether the organisers approve each registration.")


class Document(BaseModel):
    """A catalogue file (JSON, or YAML): the network's members, solutions, exchanges and workshops. Records are
    found by their key: importing a file twice changes nothing; a list left out is left alone; references name
    keys of records in the same file or already on the platform."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[FORMAT] = Field(description="The format and its version.")
    members: Records(Member) = Field(None, description="Members, with their needs.")
    solutions: Records(Solution) = Field(None, description="Solutions, with their key figures and adoptions.")
    exchanges: Records(Exchange) = Field(None, description="Exchanges between members.")
    workshops: Records(Workshop) = Field(None, description="Workshops, with their sessions, materials and outcomes.")

    def as_data(self):
        """The document as the format writes it."""
        return self.model_dump(exclude_unset=True)


# -- JSON Schema -----------------------------------------------------------------------------------------------


class CatalogueJsonSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema without what would mislead a reader: no title on each field (its name says it),
    no `"default": null` on a field that may be left out but is never null, and each record's description (its
    model's docstring) on one line."""

    def field_title_should_be_set(self, schema):
        return False

    def model_schema(self, schema):
        json_schema = super().model_schema(schema)
        if "description" in json_schema:
            json_schema["description"] = " ".join(json_schema["description"].split())
        return json_schema

    def default_schema(self, schema):
        if schema.get("default") is None:
            return self.generate_inner(schema["schema"])
        return super().default_schema(schema)


def document_json_schema():
    """The JSON Schema (draft 2020-12) of a catalogue file in the current format (docs/catalogue.schema.json).

    It says what validate() checks record by record; what needs the whole file or the database (keys used once,
    references, a subdivision in its member's country, dates in order) is in the descriptions. It gives the
    canonical spelling of codes: the importer also reads country and subdivision codes in lowercase."""
    schema = Document.model_json_schema(schema_generator=CatalogueJsonSchema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"SSN4PSI catalogue ({FORMAT})",
        **{name: value for name, value in schema.items() if name != "title"},
    }
