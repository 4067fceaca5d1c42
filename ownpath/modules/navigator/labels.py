"""Labels of routes and enumerations in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ROUTE_LABELS = {
    "no_permit_needed": _("No permit needed"),
    "notification": _("The employer notifies the labour office"),
    "oswiadczenie": _("Employer's declaration (oświadczenie)"),
    "work_permit_a": _("Work permit type A"),
    "work_permit_b": _("Work permit type B"),
    "work_permit_e": _("Work permit type E"),
    "seasonal_permit": _("Seasonal work permit"),
    "work_permit": _("Work permit"),
    "labour_market_decision": _("Decision on labour-market needs, then a residence permit"),
    "residence_permit_for_work": _("Residence permit for work"),
    "not_allowed": _("Work is not allowed"),
}
CHOICE_LABELS = {
    "none": _("No valid title"),
    "visa_free": _("Visa-free stay"),
    "national_visa": _("National (D) visa of this country"),
    "schengen_visa": _("Schengen (C) visa of this country"),
    "schengen_visa_other_state": _("Schengen visa issued by another state"),
    "transit_visa": _("Transit visa"),
    "temporary_residence": _("Temporary residence permit"),
    "permanent_residence": _("Permanent residence"),
    "long_term_eu": _("EU long-term residence"),
    "refugee": _("Refugee status"),
    "subsidiary_protection": _("Subsidiary protection"),
    "humanitarian": _("Humanitarian stay"),
    "tolerated": _("Tolerated stay"),
    "temporary_protection": _("Temporary protection"),
    "eu_family_member": _("Family member of an EU, EEA or Swiss citizen"),
    "eu_blue_card": _("EU Blue Card of this country"),
    "cukr_card": _("CUKR card (Ukrainian citizens in Poland)"),
    "standard": _("Ordinary employment"),
    "seasonal": _("Seasonal work (agriculture, tourism…)"),
    "board_member": _("Member of a company board"),
    "posting": _("Posted by a foreign employer"),
    "highly_qualified": _("Highly qualified work"),
}
WHO = {"employer": _("Employer"), "worker": _("Worker")}
RELATIVE = {
    "start_of_work": _("the start of work"),
    "registration": _("registration"),
    "end_of_work": _("the end of work"),
    "decision": _("the decision"),
}
