"""/api/: the open-data API (docs/open-data.md). Each list at /api/<things>/, each object at /api/<things>/<key>/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from opendata import views
from opendata.downloads import DOWNLOADS
from opendata.http import not_found

app_name = "opendata"

urlpatterns = [
    path("", views.Index.as_view(), name="index"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("catalogue/", views.CatalogueImport.as_view(), name="catalogue_import"),
    path("catalogue.schema.json", views.CatalogueSchema.as_view(), name="catalogue_schema"),
    *[path(download.name, views.download_view(download), name=download.url_name) for download in DOWNLOADS],
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="opendata:schema"), name="docs"),
    path("solutions/", views.SolutionList.as_view(), name="solutions"),
    path("solutions/<slug:key>/", views.SolutionDetail.as_view(), name="solution"),
    path("solutions/<slug:key>/dpg-nominee.json", views.SolutionNominee.as_view(), name="solution_dpg_nominee"),
    path("members/", views.MemberList.as_view(), name="members"),
    path("members/<slug:key>/", views.MemberDetail.as_view(), name="member"),
    path("members/<slug:key>/recommendations/", views.MemberRecommendations.as_view(), name="recommendations"),
    path("needs/", views.NeedList.as_view(), name="needs"),
    path("needs/<slug:key>/", views.NeedDetail.as_view(), name="need"),
    path("adoptions/", views.AdoptionList.as_view(), name="adoptions"),
    path("adoptions/<slug:solution>/<slug:member>/", views.AdoptionDetail.as_view(), name="adoption"),
    path("exchanges/", views.ExchangeList.as_view(), name="exchanges"),
    path("exchanges/<slug:key>/", views.ExchangeDetail.as_view(), name="exchange"),
    path("outcomes/", views.OutcomeList.as_view(), name="outcomes"),
    path("workshops/", views.WorkshopList.as_view(), name="workshops"),
    path("workshops/<slug:key>/", views.WorkshopDetail.as_view(), name="workshop"),
    path("search/solutions/", views.SolutionSearch.as_view(), name="search_solutions"),
    path("search/members/", views.MemberSearch.as_view(), name="search_members"),
    path("search/needs/", views.NeedSearch.as_view(), name="search_needs"),
    path("search/workshops/", views.WorkshopSearch.as_view(), name="search_workshops"),
    path("sdg/goals/", views.GoalList.as_view(), name="goals"),
    path("sdg/goals/<int:key>/", views.GoalDetail.as_view(), name="goal"),
    path("sdg/targets/", views.TargetList.as_view(), name="targets"),
    path("sdg/targets/<str:key>/", views.TargetDetail.as_view(), name="target"),
    path("sdg/indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("sdg/indicators/<str:key>/", views.IndicatorDetail.as_view(), name="indicator"),
    path("themes/", views.ThemeList.as_view(), name="themes"),
    path("themes/<slug:key>/", views.ThemeDetail.as_view(), name="theme"),
    re_path(r"^[\s\S]*", not_found),  # any path, one with a newline too
]
