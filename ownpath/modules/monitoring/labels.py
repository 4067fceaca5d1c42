"""Interface texts of monitoring's code lists (checklist items and figures, dimensions, members)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ownpath.core.choices import Sex

CHECKLIST_ITEMS = {
    "migration-team": _("Migration team in place"),
    "polish-courses": _("Polish courses for adults"),
    "schools-prepared": _("Schools prepared for migrant pupils"),
    "officials-trained": _("Officials trained"),
    "translated-information": _("Translated information at offices"),
    "consultations": _("Legal and career consultations available"),
    "barriers-analysed": _("Barriers in public services analysed"),
}
FIGURES = {
    "education": _("Team members from education"),
    "labour_market": _("Team members from the labour market"),
    "culture": _("Team members from culture"),
    "social_assistance": _("Team members from social assistance"),
    "safety": _("Team members from safety"),
    "community_leaders": _("Migrant community leaders in the team"),
    "places": _("Course places"),
    "participants": _("Participants"),
    "hours": _("Course hours"),
    "library_partners": _("Libraries running courses"),
    "schools": _("Schools"),
    "schools_prepared": _("Schools prepared"),
    "officials_trained": _("Officials trained"),
    "offices": _("Offices"),
    "offices_translated": _("Offices with translated information"),
    "legal_hours": _("Hours of legal consultations"),
    "career_hours": _("Hours of career consultations"),
}
DIMENSIONS = {
    "": _("Total"),
    "sex": _("Sex"),
    "age_band": _("Age band"),
    "citizenship": _("Citizenship"),
    "category": _("Category"),
}
MEMBERS = {"unknown": _("Not recorded"), **dict(Sex.choices)}
