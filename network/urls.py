from django.urls import path

from network import views

urlpatterns = [path("network/flows.csv", views.flows_csv, name="network_flows_csv")]
