from __future__ import annotations

from django.urls import path

from ownpath.modules.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("import/", views.survey_import, name="import"),
    path("template/", views.survey_template, name="template"),
    path("<uuid:survey_id>/", views.survey_detail, name="survey"),
    path("<uuid:survey_id>/questions/<int:question_id>/", views.question_edit, name="question"),
    path("<uuid:survey_id>/xlsform.xlsx", views.survey_xlsform, name="xlsform"),
    path("<uuid:survey_id>/results/", views.survey_results, name="results"),
    path("<uuid:survey_id>/results.csv", views.survey_results_export, {"fmt": "csv"}, name="results_csv"),
    path("<uuid:survey_id>/results.xlsx", views.survey_results_export, {"fmt": "xlsx"}, name="results_xlsx"),
    path("<uuid:survey_id>/mirror/", views.survey_mirror, name="mirror"),
    path("people/<int:person_id>/invite/", views.invite, name="invite"),
    path("a/<str:token>/", views.start, name="start"),
    path("r/<str:key>/", views.answer, name="answer"),
]
