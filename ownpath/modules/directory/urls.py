from __future__ import annotations

from django.urls import path

from ownpath.modules.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("import/", views.import_file, name="import"),
    path("import/<int:job_id>/", views.import_job, name="import_job"),
    path("services/<uuid:service_id>/", views.service_edit, name="service_edit"),
    path("services/<uuid:service_id>/translate/", views.machine_translate, name="machine_translate"),
    path("services/<uuid:service_id>/closures/", views.closure_add, name="closure_add"),
    path("services/<uuid:service_id>/facts/", views.facts_save, name="facts_save"),
    path("translations/<int:translation_id>/", views.translation_save, name="translation_save"),
    path("coverage/", views.coverage, name="coverage"),
    path("export.zip", views.export_package, name="export"),
    path("xliff/export/", views.xliff_export, name="xliff_export"),
    path("xliff/import/", views.xliff_import, name="xliff_import"),
]
