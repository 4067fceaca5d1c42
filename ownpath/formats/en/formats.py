"""English dates and times: en-GB (day before month, 24-hour) unless OWNPATH_ENGLISH_FORMATS=en-us."""

from django.conf import settings

if getattr(settings, "OWNPATH_ENGLISH_FORMATS", "en-gb") == "en-gb":
    DATE_FORMAT = "j M Y"  # 3 Dec 2026
    TIME_FORMAT = "H:i"  # 14:30
    DATETIME_FORMAT = "j M Y, H:i"
    YEAR_MONTH_FORMAT = "F Y"
    MONTH_DAY_FORMAT = "j F"
    SHORT_DATE_FORMAT = "d/m/Y"  # 03/12/2026
    SHORT_DATETIME_FORMAT = "d/m/Y H:i"
    FIRST_DAY_OF_WEEK = 1  # Monday
    DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"]
    DATETIME_INPUT_FORMATS = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%y %H:%M",
    ]
else:
    TIME_FORMAT = "H:i"
    DATETIME_FORMAT = "N j, Y, H:i"
    SHORT_DATETIME_FORMAT = "m/d/Y H:i"
