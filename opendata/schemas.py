"""The API's payloads as pydantic models, for its OpenAPI schema (drf-spectacular reads pydantic models): each
object is its catalogue record (network.catalogue.records, the models the importer validates with and the exporter
writes with), in full or the fields a list shows, plus what the API adds: the page's address, when it was last
published, labels in the language asked for. Nothing here is written twice: a list's fields are taken from the
record's own model."""

import functools
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model

from network.catalogue import records as catalogue


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _picked(record, *names):
    """The fields `names` of a catalogue record's model, with their types, rules and descriptions."""
    return {name: (record.model_fields[name].annotation, record.model_fields[name]) for name in names}


def _extended(name, record, doc, fields=None, **extra):
    """A model for an API payload: the fields of `record` (all, or `fields`), and `extra` ({name: (type, Field)})."""
    base = Strict if fields is not None else record
    own = _picked(record, *fields) if fields is not None else {}
    return create_model(name, __base__=base, __doc__=doc, **own, **extra)


URL = (str, Field(description="The page's address on the site."))
UPDATED = (datetime | None, Field(description="When the page was last published."))
REGION = (str | None, Field(description="The UN M49 region of its country (africa, americas, asia, europe, oceania)."))


class SolutionLabels(Strict):
    owner: str = Field(description="The owner's name.")
    country: str = Field(description="The owner's country's name.")
    maturity: str
    themes: dict[str, str] = Field(description="Each theme's label, by key.")


class MemberLabels(Strict):
    kind: str
    country: str
    region: str


SOLUTION_LISTED = ("key", "name", "owner", "summary", "sdg_targets", "themes", "maturity", "launched", "dpg")
SolutionSummary = _extended(
    "SolutionSummary",
    catalogue.Solution,
    "A solution as a list shows it: its catalogue record's short fields (empty ones left out).",
    SOLUTION_LISTED,
    country=(str, Field(description="The owner's country, ISO 3166-1 alpha-3.")),
    region=REGION,
    url=URL,
    updated=UPDATED,
    labels=(SolutionLabels, Field()),
)
SolutionDetail = _extended(
    "SolutionDetail",
    catalogue.Solution,
    "A solution: its whole catalogue record, with the adoptions by public members.",
    country=(str, Field(description="The owner's country, ISO 3166-1 alpha-3.")),
    region=REGION,
    url=URL,
    updated=UPDATED,
    labels=(SolutionLabels, Field()),
)
MemberSummary = _extended(
    "MemberSummary",
    catalogue.Member,
    "A member as a list shows it: its catalogue record's short fields (empty ones left out).",
    ("key", "name", "kind", "country", "subdivision", "parent", "languages", "summary", "website"),
    region=REGION,
    url=URL,
    updated=UPDATED,
    labels=(MemberLabels, Field()),
)
MemberDetail = _extended(
    "MemberDetail",
    catalogue.Member,
    "A member: its whole catalogue record, with its needs.",
    region=REGION,
    url=URL,
    updated=UPDATED,
    labels=(MemberLabels, Field()),
)


class NeedLabels(Strict):
    member: str
    priority: str
    themes: dict[str, str]
    country: str


NeedPayload = _extended(
    "MemberNeed",
    catalogue.Need,
    "What a member wants to learn: the need's catalogue record, with its member's key.",
    member=(str, Field(description="The key of the member that has it.")),
    labels=(NeedLabels, Field()),
)


class AdoptionLabels(Strict):
    solution: str
    member: str
    status: str


AdoptionPayload = _extended(
    "SolutionAdoption",
    catalogue.Adoption,
    "A solution taken up by a member: the adoption's catalogue record, with the solution's key.",
    solution=(str, Field(description="The key of the solution adopted.")),
    country=(str, Field(description="The adopting member's country.")),
    region=REGION,
    labels=(AdoptionLabels, Field()),
)


class ExchangeLabels(Strict):
    provider: str
    learner: str
    status: str
    facilitator: str | None = None


ExchangePayload = _extended(
    "PublicExchange",
    catalogue.Exchange,
    "An exchange between two public members (its facilitator only when public too).",
    labels=(ExchangeLabels, Field()),
)


class OutcomeLabels(Strict):
    workshop: str
    kind: str


OutcomePayload = _extended(
    "WorkshopOutcome",
    catalogue.Outcome,
    "What came out of a workshop: the outcome's catalogue record (its exchange when both partners are public, the "
    "public members involved), with the workshop's key.",
    workshop=(str, Field(description="The key of the workshop it came out of.")),
    position=(int | None, Field(description="Its place among the workshop's outcomes.")),
    labels=(OutcomeLabels, Field()),
)


class WorkshopLabels(Strict):
    kind: str
    format: str
    materials: dict[str, str]


WorkshopPayload = _extended(
    "PublicWorkshop",
    catalogue.Workshop,
    "A workshop: its catalogue record but its online link (for confirmed participants only); never its participants.",
    [name for name in catalogue.Workshop.model_fields if name != "online_link"],
    url=URL,
    updated=UPDATED,
    labels=(WorkshopLabels, Field()),
)


class SdgIndicator(Strict):
    code: str
    target: str
    title: str = Field(description="In the language asked for (English where it has no translation).")
    titles: dict[str, str] = Field(description="In each of the framework's languages.")


class SdgTarget(Strict):
    code: str
    goal: int
    title: str
    titles: dict[str, str]
    indicators: list[SdgIndicator] | None = None


class SdgGoal(Strict):
    number: int
    title: str
    short_title: str
    titles: dict[str, str]
    targets: list[SdgTarget] | None = None


class ThemeEntry(Strict):
    key: str
    label: str
    description: str


class RecommendedPartner(Strict):
    provider: str = Field(description="The recommended provider's key.")
    rank: int
    score: float
    solutions: list[str] = Field(description="The keys of its solutions that answer the member's needs.")
    facilitators: list[str] = Field(description="The keys of members that could bring them together.")
    reasons: list[str] = Field(description="Why, in the language asked for.")
    computed_at: datetime
    labels: dict[str, str]


class RecommendedSolution(Strict):
    solution: str
    rank: int
    score: float
    reasons: list[str]
    computed_at: datetime
    labels: dict[str, str]


class MemberRecommendations(Strict):
    """What a member's page recommends to it (governments and their agencies; empty lists for other members)."""

    member: str
    partners: list[RecommendedPartner]
    solutions: list[RecommendedSolution]


class Endpoints(Strict):
    """The API's endpoints."""

    solutions: str
    members: str
    needs: str
    adoptions: str
    exchanges: str
    outcomes: str
    workshops: str
    goals: str
    targets: str
    indicators: str
    themes: str
    search: dict[str, str] = Field(description="The search of each kind of record.")
    schema_: str = Field(alias="schema")
    documentation: str


class ErrorDetail(Strict):
    detail: str


@functools.cache
def page_of(model):
    """The list payload of `model`: a page of results with the links to the pages beside it."""
    return create_model(
        f"{model.__name__}Page",
        __base__=Strict,
        count=(int, Field(description="Results in all pages.")),
        next=(str | None, Field(description="The next page's address.")),
        previous=(str | None, Field(description="The previous page's address.")),
        results=(list[model], Field()),
    )


class ParameterErrors(RootModel[dict[str, list[str]] | ErrorDetail]):
    """A 400: each bad parameter with what is wrong with it, or (for a request that cannot be read at all) why."""


NeedWrite = _extended(
    "NeedWrite",
    catalogue.Need,
    "A need to write: its catalogue record and the key of its member (the key in the address wins).",
    key=(str | None, Field(None, description="May be left out: the key in the address is the need's.")),
    member=(str, Field(description="The key of the member that has it.")),
)


class WriteProblems(Strict):
    """A write refused: each problem names the record and the field, as the catalogue import says them."""

    problems: list[str]


class ImportCounts(Strict):
    """What an import did (or would do, with dry_run): for each kind of record, created, updated, unchanged."""

    dry_run: bool
    counts: dict[str, dict[str, int]]
