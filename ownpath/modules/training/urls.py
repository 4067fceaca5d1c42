from django.urls import path

from ownpath.modules.training import views

app_name = "training"

urlpatterns = [
    path("", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<uuid:course_id>/", views.course, name="course"),
    path("sessions/<uuid:session_id>/attendance/", views.attendance, name="attendance"),
    path("enrolments/<uuid:enrolment_id>/", views.enrolment, name="enrolment"),
    path("attendance-statuses/", views.attendance_statuses, name="attendance_statuses"),
    path("enrolments/<uuid:enrolment_id>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("enrolments/<uuid:enrolment_id>/badge.json", views.export_badge, name="export_badge"),
    path("curricula/", views.curricula, name="curricula"),
    path("curricula/new/", views.curriculum_new, name="curriculum_new"),
    path("curricula/<uuid:curriculum_id>/", views.curriculum, name="curriculum"),
    path("materials/<int:material_id>/file", views.material_file, name="material_file"),
    path(
        "curricula/<uuid:curriculum_id>/text/<slug:entity>/<uuid:entity_id>/<slug:field>/",
        views.curriculum_text,
        name="curriculum_text",
    ),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verified, name="verified"),
    path("badges/assertions/<str:code>.json", views.badge_assertion, name="badge_assertion"),
    path("badges/classes/<uuid:curriculum_id>.json", views.badge_class, name="badge_class"),
    path("badges/classes/<uuid:curriculum_id>.svg", views.badge_image, name="badge_image"),
    path("badges/classes/<uuid:curriculum_id>/criteria/", views.badge_criteria, name="badge_criteria"),
    path("badges/issuers/<int:organisation_id>.json", views.badge_issuer, name="badge_issuer"),
]
