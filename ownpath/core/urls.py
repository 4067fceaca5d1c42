from __future__ import annotations

from django.urls import path

from ownpath.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/duplicates/", views.person_duplicates, name="person_duplicates"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/notes/", views.note_add, name="note_add"),
    path("people/<int:person_id>/consents/", views.consent_add, name="consent_add"),
    path(
        "people/<int:person_id>/<str:kind>/add/",
        views.background_add,
        name="background_add",
    ),
    path("people/<int:person_id>/export/", views.person_export, name="person_export"),
    path("people/<int:person_id>/export.json", views.person_export, {"fmt": "json"}, name="person_export_json"),
    path("people/<int:person_id>/export/subject/", views.person_subject_export, name="person_subject_export"),
    path("me/export.json", views.own_export, name="own_export"),
    path("people/<int:person_id>/erase/", views.person_erase, name="person_erase"),
    path("consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/switch/", views.switch_organisation, name="switch_organisation"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:organisation_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:organisation_id>/members/", views.member_add, name="member_add"),
    path("memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("audit/", views.audit_log, name="audit"),
    path("background-tasks/", views.background_tasks, name="background_tasks"),
    path("notifications/", views.notifications, name="notifications"),
    path("search/", views.search, name="search"),
    path("styleguide/", views.styleguide, name="styleguide"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
