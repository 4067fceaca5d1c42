from __future__ import annotations

from django.urls import path

from ownpath.modules.counselling import views

app_name = "counselling"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("supervision/", views.supervision, name="supervision"),
    path("referrals/", views.referrals, name="referrals"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:handover_id>/", views.handover_detail, name="handover"),
    path("my-path/", views.my_path, name="my_path"),
    path("our-steps/", views.steps_we_own, name="steps_we_own"),
    path("people/<int:person_id>/intake/", views.intake_add, name="intake_add"),
    path("people/<int:person_id>/assessment/", views.assessment_add, name="assessment_add"),
    path("people/<int:person_id>/goals/", views.goal_add, name="goal_add"),
    path("people/<int:person_id>/steps/", views.step_add, name="step_add"),
    path("people/<int:person_id>/sessions/", views.session_add, name="session_add"),
    path("people/<int:person_id>/referrals/", views.referral_send, name="referral_send"),
    path("people/<int:person_id>/recognitions/", views.recognition_add, name="recognition_add"),
    path("people/<int:person_id>/legal/", views.legal_add, name="legal_add"),
    path("people/<int:person_id>/outcomes/", views.outcome_add, name="outcome_add"),
    path("suggestions/<int:suggestion_id>/", views.suggestion_decide, name="suggestion_decide"),
    path("steps/<int:step_id>/", views.step_edit, name="step_edit"),
    path("steps/<int:step_id>/checklist/", views.step_checklist, name="step_checklist"),
    path("sessions/<int:session_id>/notes/", views.session_note_add, name="session_note_add"),
    path("referrals/<int:referral_id>/answer/", views.referral_answer, name="referral_answer"),
    path("recognitions/<int:recognition_id>/", views.recognition_edit, name="recognition_edit"),
    path("legal/<int:request_id>/", views.legal_request, name="legal_request"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up_record, name="follow_up_record"),
]
