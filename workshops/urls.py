from django.urls import path

from workshops import views

urlpatterns = [
    path("registrations/confirm/<str:token>/", views.confirm, name="registration_confirm"),
    path("registrations/accept/<str:token>/", views.accept, name="registration_accept"),
    path("registrations/manage/<str:token>/", views.manage, name="registration_manage"),
    path("registrations/manage/<str:token>/workshop.ics", views.participant_calendar, name="registration_calendar"),
    path("workshops.ics", views.upcoming_ics, name="workshops_calendar"),
    path("workshops/<int:pk>/delegation/", views.delegation, name="workshop_delegation"),
    path("workshops/<int:pk>.ics", views.workshop_ics, name="workshop_calendar"),
]
