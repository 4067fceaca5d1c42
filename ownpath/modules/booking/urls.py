from __future__ import annotations

from django.urls import path

from ownpath.modules.booking import views

app_name = "booking"

urlpatterns = [
    path("", views.start, name="start"),
    path("s/<int:service_id>/", views.slots, name="slots"),
    path("s/<int:service_id>/confirm/", views.confirm, name="confirm"),
    path("s/<int:service_id>/wait/", views.waiting_list, name="waiting"),
    path("m/<str:token>/", views.manage, name="manage"),
    path("m/<str:token>/invite.ics", views.invitation_file, name="ics"),
    path("m/<str:token>/cancel/", views.cancel_link, name="cancel"),
    path("m/<str:token>/move/", views.reschedule_link, name="reschedule"),
    path("offer/<str:token>/", views.offer, name="offer"),
    path("cv/", views.cv_drop, name="cv_drop"),
    path("cv/profile/", views.cv_from_profile, name="cv_from_profile"),
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/<int:booking_id>/<str:action>/", views.appointment_action, name="appointment_action"),
    path("hours/", views.hours, name="hours"),
    path("services/", views.services_page, name="services"),
    path("services/<int:service_id>/", views.services_page, name="service_edit"),
    path("statistics/", views.stats, name="stats"),
    path("cvs/", views.cvs, name="cvs"),
    path("cvs/<int:cv_id>/", views.cv_detail, name="cv"),
    path("cvs/<int:cv_id>/file/", views.cv_file, name="cv_file"),
    path("received/", views.received, name="received"),
    path("received/<int:sending_id>/", views.received_item, name="received_item"),
]
