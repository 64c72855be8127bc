"""The network page's CSV of flows between countries (/network/flows.csv)."""

import csv

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET

from network.models import NetworkPage, network_counts
from network.overview import NetworkFilterForm, NetworkOverview, country_label
from ssn4psi.spreadsheets import csv_cell

#: The CSV's columns: stable names, as the open-data downloads' (they are data, not text for people).
FLOW_COLUMNS = (
    "provider_country",
    "provider_country_name",
    "learner_country",
    "learner_country_name",
    "exchanges",
    "adoptions",
)


@require_GET
def flows_csv(request):
    """Every pair of countries of the network page's flow diagram, with the same filters (region, goal): one row
    per provider and learner country with how many exchanges (that shared knowledge at least) and adoptions went
    from one to the other, the largest first. Served while the network page is live and public, 404 otherwise;
    a filter that is not understood is a 400 that says which, since a file cannot show a message."""
    if not NetworkPage.objects.live().public().exists():
        raise Http404
    form = NetworkFilterForm.from_query(request.GET)
    filters = form.filters()
    if form.errors:
        problems = "\n".join(f"{form[name].label}: {error}" for name, errors in form.errors.items() for error in errors)
        return HttpResponseBadRequest(problems + "\n", content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="network-flows.csv"'
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(FLOW_COLUMNS)
    for flow in network_counts(NetworkOverview(request, filters)).flows():
        row = (flow.provider, country_label(flow.provider), flow.learner, country_label(flow.learner))
        writer.writerow([csv_cell(cell) for cell in row] + [flow.exchanges, flow.adoptions])
    return response
