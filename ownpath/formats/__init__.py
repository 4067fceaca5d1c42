"""ownpath's own date, time and number formats, over Django's (``FORMAT_MODULE_PATH``): 24-hour times in
every language, Polish dates as ``03.12.2026``, English written the British way (``03/12/2026``, ``3 Dec
2026, 14:30``) unless ``OWNPATH_ENGLISH_FORMATS=en-us``. Whatever is not set here comes from Django's
locale data. See docs/i18n.md."""
