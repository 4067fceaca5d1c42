"""Phone screenshots (390x844) of the pages named below, in English, Polish and Arabic, into docs/screenshots/.

Run against a server with the demo loaded (make run, or any manage.py runserver on the demo database):

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 [name ...]

Staff pages sign in as the demo counsellor with the demo TOTP secret (OWNPATH_DEMO must be on).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ownpath.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # only reads, before and between pages

import django  # noqa: E402

django.setup()

from ownpath.core.demo import current_code, demo_accounts  # noqa: E402

OUT = Path(os.environ.get("OWNPATH_SCREENSHOTS", ROOT / "docs" / "screenshots"))
CHROMIUM = "/usr/bin/chromium"
PUBLIC = {
    "portal-home": "/portal/",
    "portal-service": None,
    "portal-results": "/portal/services/?need=&q=&postcode=80-827",
    "error-404": "/no-such-page/",
}
STAFF = {
    "staff-caseload": "/counselling/",
    "staff-menu": "/counselling/#menu",
    "staff-person": None,
    "styleguide": "/styleguide/",
}
# A server-drawn chart (bars per area, the trend line) is the network office's view of monitoring.
CHART = {"staff-chart": "/monitoring/indicators/people-served/"}


def _service_path() -> str:
    from ownpath.modules.directory.models import Service  # type: ignore[attr-defined]

    service = Service.objects.order_by("pk").first()
    return f"/portal/services/{service.id}/" if service else "/portal/"


def _person_path() -> str:
    from ownpath.core.models import Person

    person = Person.objects.filter(given_name="Olena").order_by("pk").first() or Person.objects.order_by("pk").first()
    return f"/people/{person.pk}/" if person else "/people/"


def sign_in(page: object, base: str, email: str) -> None:
    secret = {e: s for e, _r, _o, s in demo_accounts()}[email]
    page.goto(f"{base}/accounts/login/")  # type: ignore[attr-defined]
    page.fill("#id_login", email)  # type: ignore[attr-defined]
    page.fill("#id_password", "ownpath-demo-2026")  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/accounts/2fa/authenticate/")  # type: ignore[attr-defined]
    page.fill("input[name=code]", current_code(secret))  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/dashboard/")  # type: ignore[attr-defined]


def set_language(page: object, base: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])  # type: ignore[attr-defined]


def main(base: str, names: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    PUBLIC["portal-service"] = _service_path()
    STAFF["staff-person"] = _person_path()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        contexts: dict[object, object] = {}
        for staff in (False, True, "chart"):
            contexts[staff] = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
            )
            if staff:  # once: a TOTP code is accepted only once
                who = "network-admin" if staff == "chart" else "counsellor"
                sign_in(contexts[staff].new_page(), base, f"{who}@demo.ownpath.org")
        for language in ("en", "pl", "ar"):
            for pages, staff in ((PUBLIC, False), (STAFF, True), (CHART, "chart")):
                page = contexts[staff].new_page()
                set_language(page, base, language)
                for name, path in pages.items():
                    if names and name not in names:
                        continue
                    page.goto(base + str(path).split("#")[0])
                    if path and path.endswith("#menu") and page.locator(".nav-menu > summary").count():
                        page.click(".nav-menu > summary")
                    page.screenshot(path=str(OUT / f"{name}-{language}.png"))
                    print(OUT / f"{name}-{language}.png")
                page.close()
        if not names or "components" in names:  # each section of the style guide, for docs/design.md
            page = contexts[True].new_page()
            set_language(page, base, "en")
            page.goto(f"{base}/styleguide/")
            (OUT / "components").mkdir(exist_ok=True)
            for section in page.locator("section.sg").all():
                target = OUT / "components" / f"{section.get_attribute('id')}.png"
                section.screenshot(path=str(target))
                print(target)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
