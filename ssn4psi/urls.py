from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from network import sitemaps
from ssn4psi import views

handler400 = views.bad_request
handler500 = views.server_error

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("", include("solutions.urls")),
    path("healthz", views.health, name="health"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("api/", include("opendata.urls")),
    path("", include("opendata.site_urls")),
    path("", include("workshops.urls")),
    path("", include("search.urls")),
    path("", include("network.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
