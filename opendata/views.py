"""The open-data API's endpoints: thin views that read their parameters (opendata.params), ask opendata.queries
for the rows and opendata.records for the payloads. Every list is paginated and in a stable order; every detail
is found by its catalogue key (404 when nothing public has it)."""

import re

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from matchmaking.listings import partners_for, solutions_for
from network.catalogue import records as catalogue_records
from network.catalogue.records import Document, document_json_schema
from network.dpg import NotNominable, nominee_of
from opendata import downloads, params, records, schemas, writes
from opendata.http import OpenDataView, chosen_language
from opendata.pagination import page_of, searched_page
from opendata.queries import Public
from search.backends import get_backend
from search.backends.base import FACETS as SEARCH_FACETS
from search.backends.base import SearchQuery
from solutions.catalogue import apply_filters
from ssn4psi.models import SdgGoal, SdgIndicator, SdgTarget, Theme
from ssn4psi.vocabulary import LEARNER_KINDS
from workshops.models import WorkshopPage

ERRORS = {
    400: OpenApiResponse(schemas.ParameterErrors, description="A parameter is unknown or its value is bad."),
    404: OpenApiResponse(schemas.ErrorDetail, description="Nothing public has this key, or there is no such page."),
    429: OpenApiResponse(schemas.ErrorDetail, description="Too many requests from this address: see Retry-After."),
}


WRITE_ERRORS = {
    400: OpenApiResponse(schemas.WriteProblems, description="The record is not valid: each problem names its field."),
    401: OpenApiResponse(schemas.ErrorDetail, description="No token, or a token nobody has."),
    403: OpenApiResponse(schemas.ErrorDetail, description="The token's user may not write this record."),
}


def _written(write, request, *args):
    """Run the write service `write` for the token's user with the request's JSON body; 400 with the problems
    (each naming its field), 403 with the reason."""
    if not isinstance(request.data, dict):
        raise serializers.ValidationError({"problems": [_("The body must be a JSON object.")]})
    try:
        return write(request.user, *args, request.data)
    except writes.WriteInvalid as error:
        raise serializers.ValidationError({"problems": error.problems}) from None
    except writes.WriteRefused as error:
        raise PermissionDenied(str(error)) from None


def documented(payload, summary, many=False, **examples):
    """The view's GET in the OpenAPI schema: its parameters (the view's `parameters`, from opendata.params), its
    payload (a pydantic model of opendata.schemas: a page of them for a list) and its errors; `examples` gives a
    path parameter an example from the demo content ({name: value}), which the documentation's "Try it out" fills
    in."""

    def decorate(view):
        response = schemas.page_of(payload) if many else payload
        path_parameters = [
            OpenApiParameter(name, str, OpenApiParameter.PATH, examples=[OpenApiExample(value, value=value)])
            for name, value in examples.items()
        ]
        operation = extend_schema(
            operation_id=re.sub(r"(?<!^)(?=[A-Z])", "_", view.__name__).lower(),  # SolutionList: solution_list
            summary=summary,
            parameters=[getattr(view, "parameters", params.Parameters), *path_parameters],
            responses={200: response, **ERRORS},
        )
        return extend_schema_view(get=operation)(view)

    return decorate


class ListView(OpenDataView):
    """A paginated list: `rows()` narrowed by `narrow()`, each turned into a payload by `payload()`."""

    parameters = params.ListParameters

    def get(self, request):
        chosen = params.read(self.parameters, request)
        public = Public()
        rows = self.narrow(self.rows(public), chosen, public)
        return Response(page_of(rows, chosen, request, lambda row: self.payload(row, request)))

    def narrow(self, rows, chosen, public):
        return rows


class SearchView(OpenDataView):
    """The site search's hits of one type, by relevance, as the list of that type gives them (`listing`): words
    in any of the site's languages, and the search's own facets."""

    listing = None
    search_type = None
    parameters = params.SearchParameters

    def get(self, request):
        chosen = params.read(self.parameters, request)
        chosen.setdefault("per_page", 20)
        facets = {
            name: ["yes" if value else "no"] if name == "dpg" else [str(item) for item in value]
            for name, value in chosen.items()
            if name in SEARCH_FACETS
        }
        query = SearchQuery.build(
            text=chosen["q"],
            filters={"type": [self.search_type], **facets},
            language=chosen_language(request).split("-")[0],
            page=chosen.get("page", 1),
            per_page=chosen["per_page"],
        )
        results = get_backend().search(query)
        listing = self.listing()
        found = {row.pk: row for row in listing.rows(Public()).filter(pk__in=[hit.pk for hit in results.hits])}
        hits = [found[hit.pk] for hit in results.hits if hit.pk in found]
        return Response(searched_page(hits, results.total, chosen, request, lambda row: listing.payload(row, request)))


class DetailView(OpenDataView):
    """One object by its key: `rows()` of the list, filtered by `lookup`."""

    lookup = "key"

    def get(self, request, key):
        params.read(params.Parameters, request)
        found = self.rows(Public()).filter(**{self.lookup: key}).first()
        if found is None:
            raise Http404
        return Response(self.payload(found, request))

    def written(self, request, key, created):
        """The answer to a write: the object as a reader now gets it, 201 when it was created."""
        found = self.rows(Public()).filter(key=key).first()
        return Response(self.payload(found, request), status=201 if created else 200)


# -- solutions ------------------------------------------------------------------------------------------------------


@documented(schemas.SolutionSummary, "Solutions", many=True)
class SolutionList(ListView):
    parameters = params.SolutionParameters

    def rows(self, public):
        return public.solution_rows()

    def narrow(self, rows, chosen, public):
        catalogue = {name: chosen[name] for name in ("goal", "theme", "country", "maturity") if name in chosen}
        if "dpg" in chosen:
            catalogue["dpg"] = "yes" if chosen["dpg"] else "no"
        if "owner" in chosen:
            catalogue["member"] = chosen["owner"]
        rows = apply_filters(rows, catalogue)
        if "target" in chosen:
            rows = rows.filter(pk__in=SdgTarget.objects.filter(code__in=chosen["target"]).values("solutions"))
        if "region" in chosen:
            rows = rows.filter(member__region__in=chosen["region"])
        if "updated_since" in chosen:
            rows = rows.filter(last_published_at__gte=chosen["updated_since"])
        return rows

    def payload(self, row, request):
        return records.solution_summary(row, request)


@documented(schemas.SolutionDetail, "A solution", key="mygov")
class SolutionDetail(DetailView):
    def rows(self, public):
        return public.solution_records()

    def payload(self, row, request):
        return records.solution_detail(row, request)

    @extend_schema(
        operation_id="solution_write",
        summary="Create or update a solution (its owner's focal point, or the Secretariat)",
        request=catalogue_records.Solution,
        responses={200: schemas.SolutionDetail, 201: schemas.SolutionDetail, **WRITE_ERRORS},
    )
    def put(self, request, key):
        return self.written(request, key, _written(writes.write_solution, request, key))


@extend_schema_view(
    get=extend_schema(
        operation_id="solution_dpg_nominee",
        summary="A digital public good as a nominee of the DPG registry",
        description=(
            "The solution in the Digital Public Goods Alliance registry's nominee format (its nominee-schema.json), "
            "for its owner to nominate it. 404 when the solution is not a public digital public good, or lacks what "
            "the format requires (an approved open licence, a goal, a summary): `detail` says what."
        ),
        parameters=[params.Parameters],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, **ERRORS},
    )
)
class SolutionNominee(OpenDataView):
    def get(self, request, key):
        params.read(params.Parameters, request)
        solution = Public().solution_records().filter(key=key).first()
        if solution is None:
            raise Http404
        if not solution.dpg:
            raise Http404(_("%(name)s is not marked as a digital public good.") % {"name": solution.title})
        goals = {goal.number for goal in solution.sdg_goals.all()} | {t.goal_id for t in solution.sdg_targets.all()}
        targets = [target.code for target in solution.sdg_targets.all()]
        try:
            nominee = nominee_of(solution, solution.member, goals, targets)
        except NotNominable as error:
            raise Http404(str(error)) from None
        response = JsonResponse(nominee, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{solution.key}.json"'
        return response


# -- members --------------------------------------------------------------------------------------------------------


@documented(schemas.MemberSummary, "Members", many=True)
class MemberList(ListView):
    parameters = params.MemberParameters

    def rows(self, public):
        return public.member_rows()

    def narrow(self, rows, chosen, public):
        for name, lookup in (("kind", "kind__in"), ("country", "country__in"), ("region", "region__in")):
            if name in chosen:
                rows = rows.filter(**{lookup: chosen[name]})
        if "parent" in chosen:
            rows = rows.filter(parent_key=chosen["parent"])
        if "updated_since" in chosen:
            rows = rows.filter(last_published_at__gte=chosen["updated_since"])
        return rows

    def payload(self, row, request):
        return records.member_summary(row, request)


@documented(schemas.MemberDetail, "A member, with its needs", key="bgd-a2i")
class MemberDetail(DetailView):
    def rows(self, public):
        return public.member_records()

    def payload(self, row, request):
        return records.member_detail(row, request)


@documented(schemas.MemberRecommendations, "What a member's page recommends to it", key="cod")
class MemberRecommendations(OpenDataView):
    """The partners recommended to a member and the solutions like the ones it adopted, as its page shows them:
    for governments and their agencies (the learners); empty lists for other members."""

    def get(self, request, key):
        params.read(params.Parameters, request)
        public = Public()
        member = get_object_or_404(public.members, key=key)
        partners, solutions = [], []
        if member.kind in LEARNER_KINDS:
            partners = partners_for(member, members=public.members, solutions=public.solutions)
            solutions = solutions_for(member, "adopters", solutions=public.solutions)
        return Response(
            {
                "member": member.key,
                "partners": [
                    {
                        "provider": row.provider.key,
                        "rank": row.rank,
                        "score": round(row.score, 4),
                        "solutions": [page.key for page in row.solution_pages],
                        "facilitators": [page.key for page in row.facilitator_pages],
                        "reasons": [str(sentence) for sentence in row.sentences],
                        "computed_at": row.computed_at.isoformat(),
                        "labels": {"provider": row.provider.title},
                    }
                    for row in partners
                ],
                "solutions": [
                    {
                        "solution": row.solution.key,
                        "rank": row.rank,
                        "score": round(row.score, 4),
                        "reasons": [str(sentence) for sentence in row.sentences],
                        "computed_at": row.computed_at.isoformat(),
                        "labels": {"solution": row.solution.title, "owner": row.owner_title},
                    }
                    for row in solutions
                ],
            }
        )


# -- needs and adoptions --------------------------------------------------------------------------------------------


@documented(schemas.NeedPayload, "Needs", many=True)
class NeedList(ListView):
    parameters = params.NeedParameters

    def rows(self, public):
        return public.needs()

    def narrow(self, rows, chosen, public):
        if "member" in chosen:
            rows = rows.filter(member__key=chosen["member"])
        if "goal" in chosen:
            goals = chosen["goal"]
            tagged = rows.model.objects.filter(Q(sdg_goals__in=goals) | Q(sdg_targets__goal__in=goals))
            rows = rows.filter(pk__in=tagged.values("pk"))
        if "target" in chosen:
            rows = rows.filter(pk__in=rows.model.objects.filter(sdg_targets__code__in=chosen["target"]).values("pk"))
        if "theme" in chosen:
            rows = rows.filter(pk__in=rows.model.objects.filter(themes__in=chosen["theme"]).values("pk"))
        for name, lookup in (("country", "member__country__in"), ("region", "member__region__in")):
            if name in chosen:
                rows = rows.filter(**{lookup: chosen[name]})
        if "priority" in chosen:
            rows = rows.filter(priority__in=chosen["priority"])
        return rows

    def payload(self, row, request):
        return records.need_payload(row)


@documented(schemas.NeedPayload, "A need", key="cod-one-stop-services")
class NeedDetail(DetailView):
    def rows(self, public):
        return public.needs()

    def payload(self, row, request):
        return records.need_payload(row)

    @extend_schema(
        operation_id="need_write",
        summary="Create or update a need (its member's focal point, or the Secretariat)",
        request=schemas.NeedWrite,
        responses={200: schemas.NeedPayload, 201: schemas.NeedPayload, **WRITE_ERRORS},
    )
    def put(self, request, key):
        return self.written(request, key, _written(writes.write_need, request, key))


@documented(schemas.AdoptionPayload, "Adoptions", many=True)
class AdoptionList(ListView):
    parameters = params.AdoptionParameters

    def rows(self, public):
        return public.adoptions().order_by("solution__key", "member__key")

    def narrow(self, rows, chosen, public):
        for name, lookup in (
            ("solution", "solution__key"),
            ("member", "member__key"),
            ("country", "member__country__in"),
            ("region", "member__region__in"),
            ("status", "status__in"),
        ):
            if name in chosen:
                rows = rows.filter(**{lookup: chosen[name]})
        return rows

    def payload(self, row, request):
        return records.adoption_payload(row)


@documented(schemas.AdoptionPayload, "An adoption", solution="mygov", member="cod")
class AdoptionDetail(OpenDataView):
    def get(self, request, solution, member):
        params.read(params.Parameters, request)
        found = Public().adoptions().filter(solution__key=solution, member__key=member).first()
        if found is None:
            raise Http404
        return Response(records.adoption_payload(found))


# -- exchanges and outcomes -----------------------------------------------------------------------------------------


@documented(schemas.ExchangePayload, "Exchanges", many=True)
class ExchangeList(ListView):
    parameters = params.ExchangeParameters

    def rows(self, public):
        return public.exchange_records()

    def narrow(self, rows, chosen, public):
        if "member" in chosen:
            key = chosen["member"]
            rows = rows.filter(
                Q(provider__key=key) | Q(learner__key=key) | Q(facilitator__key=key, facilitator__in=public.members)
            )
        for name in ("provider", "learner"):
            if name in chosen:
                rows = rows.filter(**{f"{name}__key": chosen[name]})
        if "solution" in chosen:
            through = rows.model.solutions.through.objects.filter(
                exchange=OuterRef("pk"), solutionpage__key=chosen["solution"], solutionpage__in=public.solutions
            )
            rows = rows.filter(Exists(through))
        if "status" in chosen:
            rows = rows.filter(status__in=chosen["status"])
        return rows

    def payload(self, row, request):
        return records.exchange_payload(row)


@documented(schemas.ExchangePayload, "An exchange", key="barmm-a2i-learning-visit")
class ExchangeDetail(DetailView):
    def rows(self, public):
        return public.exchange_records()

    def payload(self, row, request):
        return records.exchange_payload(row)


@documented(schemas.OutcomePayload, "Workshop outcomes", many=True)
class OutcomeList(ListView):
    parameters = params.OutcomeParameters

    def rows(self, public):
        return public.outcomes()

    def narrow(self, rows, chosen, public):
        if "workshop" in chosen:
            rows = rows.filter(workshop__key=chosen["workshop"])
        if "exchange" in chosen:
            rows = rows.filter(exchange__key=chosen["exchange"], provider_listed=True, learner_listed=True)
        if "member" in chosen:
            named = rows.model.members.through.objects.filter(
                workshopoutcome=OuterRef("pk"), memberpage__key=chosen["member"], memberpage__in=public.members
            )
            rows = rows.filter(Exists(named))
        return rows

    def payload(self, row, request):
        return records.outcome_payload(row)


# -- workshops ------------------------------------------------------------------------------------------------------


@documented(schemas.WorkshopPayload, "Workshops", many=True)
class WorkshopList(ListView):
    parameters = params.WorkshopParameters

    def rows(self, public):
        return public.workshop_records()

    def narrow(self, rows, chosen, public):
        for name in ("kind", "format"):
            if name in chosen:
                rows = rows.filter(**{f"{name}__in": chosen[name]})
        if "member" in chosen:
            involved = WorkshopPage.objects.filter(
                involvements__member__key=chosen["member"], involvements__member__in=public.members
            )
            rows = rows.filter(pk__in=involved.values("pk"))
        if "updated_since" in chosen:
            rows = rows.filter(last_published_at__gte=chosen["updated_since"])
        return rows

    def payload(self, row, request):
        return records.workshop_payload(row, request)


@documented(schemas.WorkshopPayload, "A workshop", key="barmm-a2i-learning-visit")
class WorkshopDetail(DetailView):
    def rows(self, public):
        return public.workshop_records()

    def payload(self, row, request):
        return records.workshop_payload(row, request)


# -- the search ----------------------------------------------------------------------------------------------------


@documented(schemas.SolutionSummary, "Solutions found by words", many=True)
class SolutionSearch(SearchView):
    listing = SolutionList
    search_type = "solution"
    parameters = params.SolutionSearchParameters


@documented(schemas.MemberSummary, "Members found by words", many=True)
class MemberSearch(SearchView):
    listing = MemberList
    search_type = "member"
    parameters = params.MemberSearchParameters


@documented(schemas.NeedPayload, "Needs found by words", many=True)
class NeedSearch(SearchView):
    listing = NeedList
    search_type = "need"
    parameters = params.NeedSearchParameters


@documented(schemas.WorkshopPayload, "Workshops found by words", many=True)
class WorkshopSearch(SearchView):
    listing = WorkshopList
    search_type = "workshop"


# -- the SDG framework and themes -----------------------------------------------------------------------------------


@documented(schemas.SdgGoal, "SDG goals", many=True)
class GoalList(ListView):
    def rows(self, public):
        return SdgGoal.objects.order_by("number")

    def payload(self, row, request):
        return records.goal_payload(row, chosen_language(request))


@documented(schemas.SdgGoal, "An SDG goal, with its targets and their indicators")
class GoalDetail(DetailView):
    lookup = "number"

    def rows(self, public):
        return SdgGoal.objects.all()

    def payload(self, row, request):
        targets = row.targets.order_by("position").prefetch_related("indicators")
        return records.goal_payload(row, chosen_language(request), targets)


@documented(schemas.SdgTarget, "SDG targets", many=True)
class TargetList(ListView):
    parameters = params.TargetParameters

    def rows(self, public):
        return SdgTarget.objects.order_by("position")

    def narrow(self, rows, chosen, public):
        return rows.filter(goal__in=chosen["goal"]) if "goal" in chosen else rows

    def payload(self, row, request):
        return records.target_payload(row, chosen_language(request))


@documented(schemas.SdgTarget, "An SDG target, with its indicators", key="16.9")
class TargetDetail(DetailView):
    lookup = "code"

    def rows(self, public):
        return SdgTarget.objects.prefetch_related("indicators")

    def payload(self, row, request):
        return records.target_payload(row, chosen_language(request), row.indicators.all())


@documented(schemas.SdgIndicator, "SDG indicators", many=True)
class IndicatorList(ListView):
    parameters = params.IndicatorParameters

    def rows(self, public):
        return SdgIndicator.objects.select_related("target").order_by("position")

    def narrow(self, rows, chosen, public):
        if "goal" in chosen:
            rows = rows.filter(target__goal__in=chosen["goal"])
        if "target" in chosen:
            rows = rows.filter(target__code__in=chosen["target"])
        return rows

    def payload(self, row, request):
        return records.indicator_payload(row, chosen_language(request))


@documented(schemas.SdgIndicator, "An SDG indicator", key="16.9.1")
class IndicatorDetail(DetailView):
    lookup = "code"

    def rows(self, public):
        return SdgIndicator.objects.select_related("target")

    def payload(self, row, request):
        return records.indicator_payload(row, chosen_language(request))


@documented(schemas.ThemeEntry, "Themes", many=True)
class ThemeList(ListView):
    def rows(self, public):
        return Theme.objects.order_by("position")

    def payload(self, row, request):
        return records.theme_payload(row)


@documented(schemas.ThemeEntry, "A theme", key="e-services")
class ThemeDetail(DetailView):
    def rows(self, public):
        return Theme.objects.all()

    def payload(self, row, request):
        return records.theme_payload(row)


# -- the index ------------------------------------------------------------------------------------------------------


ENDPOINTS = (
    "solutions",
    "members",
    "needs",
    "adoptions",
    "exchanges",
    "outcomes",
    "workshops",
    "goals",
    "targets",
    "indicators",
    "themes",
)


@documented(schemas.Endpoints, "The endpoints")
class Index(OpenDataView):
    """What the API offers, with links: each list, the schema and its documentation."""

    def get(self, request):
        params.read(params.Parameters, request)
        absolute = request.build_absolute_uri
        return Response(
            {
                **{name: absolute(reverse(f"opendata:{name}")) for name in ENDPOINTS},
                "search": {
                    name: absolute(reverse(f"opendata:search_{name}"))
                    for name in ("solutions", "members", "needs", "workshops")
                },
                "schema": absolute(reverse("opendata:schema")),
                "documentation": absolute(reverse("opendata:docs")),
            }
        )


# -- bulk downloads ---------------------------------------------------------------------------------------------


class DownloadView(OpenDataView):
    """A bulk download (opendata.downloads), with its ETag; built once per content change."""

    download = None

    def get(self, request):
        params.read(params.Parameters, request)
        built = downloads.build(self.download.name)
        response = HttpResponse(built.content, content_type=f"{self.download.content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ssn4psi-{self.download.name}"'
        response["ETag"] = built.etag
        return response


#: What a download holds: a catalogue file, or CSV text.
DOWNLOAD_SCHEMAS = {"application/json": Document, "text/csv": OpenApiTypes.STR}


def download_view(download):
    """The view of one bulk download, documented as an operation of its own."""
    operation = extend_schema(
        operation_id=download.url_name,
        summary=str(download.title),
        description=str(download.description),
        parameters=[params.Parameters],
        responses={(200, download.content_type): DOWNLOAD_SCHEMAS[download.content_type], **ERRORS},
    )
    view = type(f"Download{download.url_name.title().replace('_', '')}", (DownloadView,), {"download": download})
    return extend_schema_view(get=operation)(view).as_view()


class CatalogueImport(OpenDataView):
    """A catalogue document imported whole (members, solutions, exchanges, workshops): the Secretariat's."""

    @extend_schema(
        operation_id="catalogue_import",
        summary="Import a catalogue document (the Secretariat)",
        parameters=[params.ImportParameters],
        request=Document,
        responses={200: schemas.ImportCounts, **WRITE_ERRORS},
    )
    def post(self, request):
        chosen = params.read(params.ImportParameters, request)
        summary = _written(
            lambda user, data: writes.write_catalogue(user, data, dry_run=chosen.get("dry_run", False)), request
        )
        return Response(
            {"dry_run": chosen.get("dry_run", False), "counts": {k: dict(v) for k, v in summary.counts.items()}}
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="catalogue_schema",
        summary="The JSON Schema of the catalogue format",
        parameters=[params.Parameters],
        responses={(200, "application/schema+json"): OpenApiTypes.OBJECT, **ERRORS},
    )
)
class CatalogueSchema(OpenDataView):
    """The catalogue format's JSON Schema (docs/catalogue.schema.json), from the records' models."""

    def get(self, request):
        params.read(params.Parameters, request)
        return JsonResponse(
            document_json_schema(), content_type="application/schema+json", json_dumps_params={"ensure_ascii": False}
        )
