from __future__ import annotations

from django.urls import path

from ownpath.modules.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<slug:key>/", views.indicator_detail, name="indicator"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("export.json", views.export, {"fmt": "json"}, name="export_json"),
    path("checklist/", views.checklist_overview, name="checklist"),
    path("checklist/checklist.xlsx", views.checklist_download, name="checklist_xlsx"),
    path("checklist/<int:area_id>/<str:period>/<slug:item_key>/", views.checklist_entry, name="checklist_entry"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/indicators.csv", views.open_data_file, {"fmt": "csv"}, name="open_data_csv"),
    path("open-data/indicators.json", views.open_data_file, {"fmt": "json"}, name="open_data_json"),
]
