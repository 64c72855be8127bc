from django.urls import path

from workshops import certificates, checkin, feedback, privacy, views

urlpatterns = [
    path("registrations/confirm/<str:token>/", views.confirm, name="registration_confirm"),
    path("registrations/accept/<str:token>/", views.accept, name="registration_accept"),
    path("registrations/manage/<str:token>/", views.manage, name="registration_manage"),
    path("registrations/manage/<str:token>/workshop.ics", views.participant_calendar, name="registration_calendar"),
    path(
        "registrations/manage/<str:token>/certificate.pdf",
        certificates.participant_certificate,
        name="registration_certificate",
    ),
    path("registrations/manage/<str:token>/feedback/", feedback.participant_feedback, name="registration_feedback"),
    path("registrations/manage/<str:token>/data/", privacy.your_data, name="registration_data"),
    path("registrations/manage/<str:token>/data.json", privacy.export_data, name="registration_data_export"),
    path("registrations/manage/<str:token>/data/delete/", privacy.delete_data, name="registration_data_delete"),
    path("workshops/<int:pk>/check-in/", checkin.check_in_list, name="workshop_check_in"),
    path("workshops/<int:pk>/check-in/<int:registration_pk>/", checkin.check_in_step, name="workshop_check_in_step"),
    path(
        "workshops/<int:pk>/certificates/<int:registration_pk>.pdf",
        certificates.organiser_certificate,
        name="organiser_certificate",
    ),
    path("workshops.ics", views.upcoming_ics, name="workshops_calendar"),
    path("workshops/<int:pk>/delegation/", views.delegation, name="workshop_delegation"),
    path("workshops/<int:pk>.ics", views.workshop_ics, name="workshop_calendar"),
]
