"""The search page (/search/) and the as-you-type suggestions (/search/suggest/). Both only read."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from search.backends import get_backend
from search.backends.base import FACETS, SearchQuery
from search.kinds import KIND_BY_TYPE, KINDS

#: Facet headings, in the order of FACETS.
FACET_LABELS = {
    "type": _("Type"),
    "goal": _("SDG goal"),
    "theme": _("Theme"),
    "country": _("Country"),
    "region": _("Region"),
    "maturity": _("Maturity"),
    "dpg": _("Digital public good"),
}
PAGE_SIZE = 20


def query_from_request(params, language):
    """A SearchQuery from a query string (q, page and one list per facet)."""
    filters = {facet: params.getlist(facet) for facet in FACETS if facet in params}
    return SearchQuery.build(
        text=params.get("q", ""), filters=filters, language=language, page=params.get("page") or 1, per_page=PAGE_SIZE
    )


def _value_labels(results):
    """{facet: {value: label}} for what the facet panel shows, in the reader's language."""
    from members.models import country_name
    from ssn4psi.languages import localised_country_name
    from ssn4psi.models import SdgGoal
    from ssn4psi.regions import REGIONS
    from ssn4psi.vocabulary import THEME_LABELS, Maturity

    goals = {str(goal.number): f"{goal.number}. {goal.short_title}" for goal in SdgGoal.objects.all()}
    countries = {
        facet.value: localised_country_name(facet.value, country_name(facet.value))
        for facet in results.facets["country"]
    }
    return {
        "type": {kind.type: kind.label for kind in KINDS},
        "goal": goals,
        "theme": dict(THEME_LABELS),
        "country": countries,
        "region": dict(REGIONS),
        "maturity": dict(Maturity.choices),
        "dpg": {"yes": _("Digital public goods"), "no": _("Other solutions")},
    }


@require_GET
def search(request):
    """Words and facets in the query string; a page of hits, facet counts, and help when nothing matches."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    query = query_from_request(request.GET, language)
    asked = bool(query.text or query.filters)
    results = get_backend().search(query) if asked else None
    facets = []
    chosen = []
    if results is not None:
        labels = _value_labels(results)
        for facet in FACETS:
            options = [
                {
                    "value": value.value,
                    "label": labels[facet].get(value.value, value.value),
                    "count": value.count,
                    "selected": value.selected,
                }
                for value in results.facets[facet]
            ]
            if facet in ("country", "region", "theme"):
                options.sort(key=lambda option: str(option["label"]).lower())
            elif facet == "goal":
                options.sort(key=lambda option: int(option["value"]))
            facets.append({"name": facet, "label": FACET_LABELS[facet], "options": options})
            chosen += [(facet, option) for option in options if option["selected"]]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "query": query,
        "results": results,
        "facets": facets,
        "chosen": chosen,
        "type_labels": {kind.type: kind.label for kind in KINDS},
        "page_query": params.urlencode(),
        "did_you_mean_query": _with_text(request.GET, results.did_you_mean) if results and results.did_you_mean else "",
        "meta_title": _("Search"),
        "meta_description": _("Search the solutions, members, needs, workshops and exchange outcomes of the network."),
    }
    return render(request, "search/search.html", context)


def _with_text(params, text):
    params = params.copy()
    params["q"] = text
    params.pop("page", None)
    return params.urlencode()


@require_GET
def suggest(request):
    """JSON for the as-you-type box: {"suggestions": [{"title", "url", "type", "type_label"}]}."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    prefix = request.GET.get("q", "")[:100]
    found = get_backend().suggest(prefix, language=language, limit=8)
    return JsonResponse(
        {
            "suggestions": [
                {"title": s.title, "url": s.url, "type": s.type, "type_label": str(KIND_BY_TYPE[s.type].label)}
                for s in found
                if s.type in KIND_BY_TYPE
            ]
        }
    )
