from django.urls import path

from solutions import views

urlpatterns = [
    path("sdg/", views.sdg_framework, name="sdg_framework"),
    path("sdg/<id:number>/", views.sdg_goal, name="sdg_goal"),
]
