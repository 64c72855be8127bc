from django.urls import path

from opendata.pages import data_page

urlpatterns = [path("data/", data_page, name="open_data")]
