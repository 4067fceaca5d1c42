"""Labels of routes, enumerations, offices and precedence in the reader's language.

Offices carry their official name in the country's language as an addition (shown with a ``lang``
attribute); the label itself is translated, so a page reads in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

ROUTE_LABELS = {
    "no_permit_needed": _("No permit needed"),
    "notification": _("The employer notifies the labour office"),
    "oswiadczenie": _("Employer's declaration (oświadczenie)"),
    "work_permit_a": _("Work permit type A"),
    "work_permit_b": _("Work permit type B"),
    "work_permit_c": _("Work permit type C"),
    "work_permit_d": _("Work permit type D"),
    "work_permit_e": _("Work permit type E"),
    "seasonal_permit": _("Seasonal work permit"),
    "work_permit": _("Work permit"),
    "labour_market_decision": _("Decision on labour-market needs, then a residence permit"),
    "residence_permit_for_work": _("Residence permit for work"),
    "blue_card": _("EU Blue Card"),
    "seasonal_work_certificate": _("Certificate or permit for seasonal work"),
    "not_allowed": _("Work is not allowed"),
    "not_allowed_while": _("Work is not allowed for now"),
    "refused": _("The permit would be refused"),
}
# Kinds of outcome, for colour and wording: may work now, must do something first, may not.
ROUTE_KIND = {
    "no_permit_needed": "free",
    "notification": "free",
    "not_allowed": "not_allowed",
    "not_allowed_while": "not_allowed",
    "refused": "not_allowed",
}
CHOICE_LABELS = {
    "none": _("No valid title"),
    "visa_free": _("Visa-free stay"),
    "national_visa": _("National (D) visa of this country"),
    "schengen_visa": _("Schengen (C) visa of this country"),
    "schengen_visa_other_state": _("Schengen or national visa issued by another state"),
    "transit_visa": _("Transit or airport visa"),
    "temporary_residence": _("Temporary residence permit"),
    "permanent_residence": _("Permanent residence"),
    "long_term_eu": _("EU long-term residence"),
    "refugee": _("Refugee status"),
    "subsidiary_protection": _("Subsidiary protection"),
    "humanitarian": _("Humanitarian stay"),
    "tolerated": _("Tolerated stay"),
    "temporary_protection": _("Temporary protection"),
    "asylum_seeker": _("Applicant for international protection"),
    "eu_family_member": _("Family member of an EU, EEA or Swiss citizen"),
    "eu_blue_card": _("EU Blue Card of this country"),
    "cukr_card": _("CUKR residence card (citizens of Ukraine)"),
    "standard": _("Ordinary employment"),
    "seasonal": _("Seasonal work (agriculture, tourism…)"),
    "board_member": _("Member of a company board"),
    "posting": _("Posted by a foreign employer"),
    "highly_qualified": _("Highly qualified work"),
    "abroad": _("Abroad"),
    "in_country": _("In the country of work"),
    "work": _("Work"),
    "family_of_citizen": _("Family member of a citizen of this country"),
    "family_reunification": _("Family reunification"),
    "studies": _("Studies"),
    "research": _("Research"),
    "job_search": _("Looking for work after studies or research"),
    "short_stay": _("Short stay (a duty before an authority, an important interest)"),
    "other": _("Another purpose"),
    "to_affiliate": _("Work at the foreign employer's branch or affiliate here (more than 30 days a year)"),
    "export_service": _("An export service of a foreign employer without a branch here"),
    "other_service": _("Another service, e.g. installation or construction (more than 30 days in 180)"),
}
# The purpose codes on a Polish visa sticker (regulation on visas for foreigners, § 2 ust. 1).
VISA_PURPOSE_LABELS = {
    "01": _("01 – tourism"),
    "02": _("02 – visiting family or friends"),
    "03": _("03 – sports events"),
    "04": _("04 – business activity"),
    "05": _("05 – work (code printed before 2021)"),
    "05a": _("05a – work on a registered declaration (oświadczenie)"),
    "05b": _("05b – seasonal work"),
    "06": _("06 – other work (with a work permit)"),
    "07": _("07 – culture or conferences"),
    "08": _("08 – official duties of a foreign state or international organisation"),
    "09": _("09 – university studies or doctoral school"),
    "10": _("10 – vocational training"),
    "11": _("11 – other education or training"),
    "12": _("12 – teaching"),
    "13": _("13 – research"),
    "14": _("14 – (check the meaning on the visa decision)"),
    "15": _("15 – (check the meaning on the visa decision)"),
    "16": _("16 – (check the meaning on the visa decision)"),
    "17": _("17 – (check the meaning on the visa decision)"),
    "18": _("18 – holder of the Karta Polaka"),
    "19": _("19 – (check the meaning on the visa decision)"),
    "20": _("20 – humanitarian reasons, state interest or international obligations"),
    "21": _("21 – (check the meaning on the visa decision)"),
    "22": _("22 – (check the meaning on the visa decision)"),
    "23": _("23 – temporary protection"),
    "24": _("24 – another purpose"),
}
WHO = {
    "migrant": {"employer": _("Your employer"), "worker": _("You")},
    "employer": {"employer": _("You (the employer)"), "worker": _("The worker")},
}
RELATIVE = {
    "start_of_work": _("the start of work"),
    "registration": _("registration"),
    "end_of_work": _("the end of work"),
    "decision": _("the decision"),
    "change": _("the change"),
}
TIER_REASONS = {
    "tier:union": _("EU free movement comes before national rules on foreigners."),
    "tier:bar": _("A bar on work comes before exemptions, permits and declarations."),
    "tier:exemption": _("Free access to the labour market makes permits, declarations and notifications unnecessary."),
    "tier:notification": _("The notification replaces a permit or a declaration."),
}


@dataclass(frozen=True)
class Office:
    label: Any  # translated
    official: str  # the name in the country's language
    lang: str
    url: str = ""


OFFICES = {
    "pl_voivode": Office(_("Voivode (provincial office)"), "Urząd Wojewódzki", "pl", "https://www.gov.pl/web/uw"),
    "pl_county_labour_office": Office(
        _("County labour office"), "Powiatowy Urząd Pracy", "pl", "https://www.praca.gov.pl"
    ),
    "pl_consulate": Office(_("Polish consulate"), "Konsulat RP", "pl", "https://www.gov.pl/web/dyplomacja"),
    "pl_border_guard": Office(_("Border Guard"), "Straż Graniczna", "pl", "https://www.strazgraniczna.pl"),
    "pl_udsc": Office(_("Office for Foreigners"), "Urząd do Spraw Cudzoziemców", "pl", "https://www.gov.pl/web/udsc"),
    "pl_zus": Office(_("Social Insurance Institution"), "Zakład Ubezpieczeń Społecznych", "pl", "https://www.zus.pl"),
    "lt_employment_service": Office(_("Employment Service"), "Užimtumo tarnyba", "lt", "https://uzt.lt"),
    "lt_migration_department": Office(
        _("Migration Department"), "Migracijos departamentas", "lt", "https://migracija.lrv.lt"
    ),
    "lt_consulate": Office(_("Lithuanian embassy or consulate"), "Lietuvos ambasada", "lt", "https://urm.lt"),
    "fi_migri": Office(_("Finnish Immigration Service"), "Maahanmuuttovirasto (Migri)", "fi", "https://migri.fi"),
    "fi_dvv": Office(
        _("Digital and Population Data Services Agency"), "Digi- ja väestötietovirasto", "fi", "https://dvv.fi"
    ),
    "fi_te_office": Office(
        _("Employment services (TE Office)"), "TE-toimisto", "fi", "https://toimistot.te-palvelut.fi"
    ),
    "fi_mission": Office(_("Finnish embassy"), "Suomen suurlähetystö", "fi", "https://um.fi"),
}


def choice_label(fact: str, value: str) -> Any:
    if fact == "visa_purpose":
        return VISA_PURPOSE_LABELS.get(value, value)
    return CHOICE_LABELS.get(value, value)


GROUNDS = {
    "working_time_below_quarter": _("the working time is below a quarter of full time"),
    "seasonal_over_9_months": _("seasonal work would exceed 9 months in a calendar year"),
    "seasonal_over_6_months": _("seasonal work would exceed 6 months in 12"),
}
WHILE = {
    "no_legal_stay": _("while the stay is not legal"),
    "on_this_visa": _("while the stay is on this visa"),
    "on_this_permit": _("beyond what this residence permit allows"),
    "waiting_for_certificate": _("until the certificate is issued"),
}
