from django.urls import path

from ssn4psi.page_cache import personal_page
from workshops import certificates, checkin, feedback, privacy, views


def personal(route, view, name):
    """A page of one person (a link with their personal token, a focal point's form) or an organiser's screen:
    `Cache-Control: private, no-store`, kept by no cache."""
    return path(route, personal_page(view), name=name)


urlpatterns = [
    personal("registrations/confirm/<str:token>/", views.confirm, name="registration_confirm"),
    personal("registrations/accept/<str:token>/", views.accept, name="registration_accept"),
    personal("registrations/manage/<str:token>/", views.manage, name="registration_manage"),
    personal("registrations/manage/<str:token>/workshop.ics", views.participant_calendar, name="registration_calendar"),
    personal(
        "registrations/manage/<str:token>/certificate.pdf",
        certificates.participant_certificate,
        name="registration_certificate",
    ),
    personal("registrations/manage/<str:token>/feedback/", feedback.participant_feedback, name="registration_feedback"),
    personal("registrations/manage/<str:token>/data/", privacy.your_data, name="registration_data"),
    personal("registrations/manage/<str:token>/data.json", privacy.export_data, name="registration_data_export"),
    personal("registrations/manage/<str:token>/data/delete/", privacy.delete_data, name="registration_data_delete"),
    personal("workshops/<id:pk>/check-in/", checkin.check_in_list, name="workshop_check_in"),
    personal("workshops/<id:pk>/check-in/<id:registration_pk>/", checkin.check_in_step, name="workshop_check_in_step"),
    personal(
        "workshops/<id:pk>/certificates/<id:registration_pk>.pdf",
        certificates.organiser_certificate,
        name="organiser_certificate",
    ),
    path("workshops.ics", views.upcoming_ics, name="workshops_calendar"),
    personal("workshops/<id:pk>/delegation/", views.delegation, name="workshop_delegation"),
    personal("workshops/<id:pk>/links/", views.links, name="workshop_links"),
    path("workshops/<id:pk>.ics", views.workshop_ics, name="workshop_calendar"),
]
