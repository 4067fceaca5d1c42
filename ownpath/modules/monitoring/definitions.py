"""The indicators and the standard-minimum checklist that ownpath ships, as data.

An indicator's ``definition`` is read by ``aggregate.py``; the kinds of facts it can count are listed in
``facts.FACT_KINDS``. Deployments can change these rows or add their own (in the admin, or with the
``definition`` JSON through the API documentation's shapes); ``manage.py rebuild_indicators`` applies a
change to the whole history. Names are data in the five languages of the migrant-facing pages, because
the open-data page shows them.

Definition shapes:

- ``{"type": "count", "fact": K, "count": "people" | "events" | "subjects" | "sum", "where": {"category": [...]}}``
- ``{"type": "share", "numerator": <count>, "denominator": <count>}``
- ``{"type": "cohort_share", "start": K1, "end": K2, "within_days": N}``: of the people whose first ``K1``
  falls in the period, the share with a ``K2`` within N days of it (any time without N);
- ``{"type": "cohort_median_days", "start": K1, "end": K2}``: their median days from ``K1`` to ``K2``.

Each may add ``"dimensions"``: the disaggregations, from ``sex``, ``age_band``, ``citizenship`` and
``category`` (default: the first three).
"""

from __future__ import annotations

from typing import Any

from ownpath.core.languages import in_interface_languages

T = in_interface_languages  # reads like a table below


INDICATORS: list[dict[str, Any]] = [
    {"key": "people-served", "unit": "count",
     "names": T("People served", "Osoby objęte wsparciem", "Люди, які отримали підтримку", "Люди, получившие поддержку",
                "الأشخاص الذين تلقوا الدعم"),
     "definition": {"type": "count", "fact": "served", "count": "people"}},
    {"key": "people-registered", "unit": "count",
     "names": T("People registered", "Osoby zarejestrowane", "Зареєстровані люди", "Зарегистрированные люди",
                "الأشخاص المسجلون"),
     "definition": {"type": "count", "fact": "registered", "count": "people"}},
    {"key": "share-with-path", "unit": "share",
     "names": T("Share of people served with an individual path", "Odsetek osób z indywidualną ścieżką",
                "Частка людей з індивідуальним планом", "Доля людей с индивидуальным планом",
                "نسبة الأشخاص الذين لديهم مسار فردي"),
     "definition": {"type": "cohort_share", "start": "served", "end": "path_step"}},
    {"key": "employed-6-months", "unit": "share",
     "names": T("Employed within 6 months", "Zatrudnieni w ciągu 6 miesięcy", "Працевлаштовані протягом 6 місяців",
                "Трудоустроены в течение 6 месяцев", "حصلوا على عمل خلال 6 أشهر"),
     "definition": {"type": "cohort_share", "start": "served", "end": "employed", "within_days": 183}},
    {"key": "employed-12-months", "unit": "share",
     "names": T("Employed within 12 months", "Zatrudnieni w ciągu 12 miesięcy",
                "Працевлаштовані протягом 12 місяців", "Трудоустроены в течение 12 месяцев",
                "حصلوا على عمل خلال 12 شهراً"),
     "definition": {"type": "cohort_share", "start": "served", "end": "employed", "within_days": 365}},
    {"key": "days-to-first-job", "unit": "days",
     "names": T("Median days to the first job", "Mediana dni do pierwszej pracy", "Медіана днів до першої роботи",
                "Медиана дней до первой работы", "الوسيط لعدد الأيام حتى أول عمل"),
     "definition": {"type": "cohort_median_days", "start": "served", "end": "employed"}},
    {"key": "language-levels-gained", "unit": "levels",
     "names": T("Language levels gained (CEFR)", "Zdobyte poziomy językowe (CEFR)", "Здобуті мовні рівні (CEFR)",
                "Полученные языковые уровни (CEFR)", "المستويات اللغوية المكتسبة (CEFR)"),
     "definition": {"type": "count", "fact": "language_gain", "count": "sum",
                    "dimensions": ["sex", "age_band", "citizenship", "category"]}},
    {"key": "referrals-completed", "unit": "share",
     "names": T("Referrals completed (of referrals sent)", "Skierowania zrealizowane (z wysłanych)",
                "Виконані направлення (з надісланих)", "Выполненные направления (из отправленных)",
                "الإحالات المكتملة (من المرسلة)"),
     "definition": {"type": "share", "numerator": {"fact": "referral_completed", "count": "events"},
                    "denominator": {"fact": "referral_sent", "count": "events"}}},
    {"key": "helpline-contacts", "unit": "count",
     "names": T("Helpline contacts", "Kontakty z infolinią", "Звернення на гарячу лінію", "Обращения на горячую линию",
                "اتصالات خط المساعدة"),
     "definition": {"type": "count", "fact": "helpline_contact", "count": "subjects", "dimensions": ["category"]}},
    {"key": "mentor-pairs-active", "unit": "count",
     "names": T("Mentoring pairs active (met in the period)", "Aktywne pary mentorskie (spotkanie w okresie)",
                "Активні менторські пари (зустріч у періоді)", "Активные менторские пары (встреча в периоде)",
                "أزواج الإرشاد النشطة (التقت خلال الفترة)"),
     "definition": {"type": "count", "fact": "mentoring_meeting", "count": "subjects"}},
    {"key": "officials-trained", "unit": "count",
     "names": T("Officials trained", "Przeszkoleni urzędnicy", "Навчені службовці", "Обученные служащие",
                "الموظفون المدربون"),
     "definition": {"type": "count", "fact": "training_completed", "count": "subjects",
                    "where": {"category": ["intercultural"]}, "dimensions": []}},
    {"key": "people-hired", "unit": "count",
     "names": T("People who found work", "Osoby, które znalazły pracę", "Люди, які знайшли роботу",
                "Люди, нашедшие работу", "الأشخاص الذين وجدوا عملاً"),
     "definition": {"type": "count", "fact": "employed", "count": "people"}},
]  # fmt: skip

# The standard minimum every municipality and county delivers (seed 002), with the figures that evidence it.
CHECKLIST: list[dict[str, Any]] = [
    {"key": "migration-team", "figures": ["education", "labour_market", "culture", "social_assistance", "safety",
                                          "community_leaders"]},
    {"key": "polish-courses", "figures": ["places", "participants", "hours", "library_partners"]},
    {"key": "schools-prepared", "figures": ["schools", "schools_prepared"], "for_counties": False},
    {"key": "officials-trained", "figures": ["officials_trained"], "counted_from": "officials-trained"},
    {"key": "translated-information", "figures": ["offices", "offices_translated"]},
    {"key": "consultations", "figures": ["legal_hours", "career_hours"]},
    {"key": "barriers-analysed", "figures": []},
]  # fmt: skip
