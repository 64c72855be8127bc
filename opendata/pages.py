"""/data/: what the open data offers, for people: each download with its size and licence, and the API."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opendata import downloads


@require_GET
def data_page(request):
    files = [
        (download, reverse(f"opendata:{download.url_name}"), downloads.build(download.name).size)
        for download in downloads.DOWNLOADS
    ]
    context = {
        "files": files,
        "licence": settings.OPEN_DATA_LICENCE,
        "meta_title": _("Open data"),
        "meta_description": _(
            "The public catalogue of the network, free to reuse: as files to download, and through an API for other "
            "platforms. Only what the site shows anyone is in it."
        ),
    }
    return render(request, "opendata/data.html", context)
