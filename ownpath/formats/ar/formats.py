"""Arabic: 24-hour times, and a date-and-time format of its own (Django has none for Arabic, so the American
"Dec 3, 2026, 9:30 p.m." order leaked into Arabic pages)."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
