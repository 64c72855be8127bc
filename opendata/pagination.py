"""Pages of a list: `count`, `next` and `previous` (whole addresses, the other parameters kept), `results`. The
order is stable (by key, or by relevance then key for a search), so that walking the pages sees every row once."""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils.translation import gettext as _


def page_of(rows, parameters, request, to_payload, count=None):
    """One page of `rows` (a queryset in a stable order) as the API's list payload; `count` when it is known
    already. 404 for a page past the last one."""
    per_page = parameters.get("per_page", settings.API_PAGE_SIZE)
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count
    try:
        page = paginator.page(parameters.get("page", 1))
    except EmptyPage:
        raise Http404(_("There is no page %(page)s.") % {"page": parameters.get("page")}) from None
    return {
        "count": paginator.count,
        "next": _link(request, page.next_page_number()) if page.has_next() else None,
        "previous": _link(request, page.previous_page_number()) if page.has_previous() else None,
        "results": [to_payload(row) for row in page.object_list],
    }


def _link(request, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def searched_page(hits, total, parameters, request, to_payload):
    """A page of search results (already a page: the search backend paginates) as the list payload."""
    per_page = parameters.get("per_page", settings.API_PAGE_SIZE)
    number = parameters.get("page", 1)
    last = max(1, -(-total // per_page))
    if number > last:
        raise Http404(_("There is no page %(page)s.") % {"page": number})
    return {
        "count": total,
        "next": _link(request, number + 1) if number < last else None,
        "previous": _link(request, number - 1) if number > 1 else None,
        "results": [to_payload(row) for row in hits],
    }
