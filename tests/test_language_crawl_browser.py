"""Every screen in every language: a crawl in Polish, Ukrainian and Arabic that fails on visible English
interface text or raw codes.

One page per route pattern, for the public and for a signed-in counsellor, read in Chromium on a phone.
A visible text node that is exactly a msgid our catalogues translate (so the reader should never see the
English), Django's untranslated empty choice, or a raw enum value (``in_progress``, ``language_support``) fails
the test with the page and the text. Text marked as another language (``lang``) or as not to be translated
(``translate="no"``, ``<code>``) is people's content and is skipped."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings

from ownpath.core.choices import Role
from tests.conftest import World, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("pl", "uk", "ar")
RAW_CODE = re.compile(r"\b[a-z]{2,}_[a-z_]{2,}\b")  # an enum value or a field name, e.g. in_progress

VISIBLE_TEXTS = """() => {
  const out = [];
  const lang = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element) continue;
    if (element.closest('script,style,code,pre,[translate=no],[hidden],.visually-hidden,.sr-only')) continue;
    const own = element.closest('[lang]');
    if (own && own.getAttribute('lang') !== lang) continue;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (element.tagName !== 'OPTION' && element.getClientRects().length === 0) continue;
    out.push(text);
  }
  for (const field of document.querySelectorAll('input[placeholder],textarea[placeholder]')) {
    out.push(field.getAttribute('placeholder').trim());
  }
  return out;
}"""


@cache
def _english_interface() -> frozenset[str]:
    """The msgids each of our catalogues translates into something else: seeing one means a leak."""
    translated: set[str] | None = None
    for language in LANGUAGES:
        path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
        found = {
            entry.msgid
            for entry in polib.pofile(str(path))
            if not entry.obsolete
            and not entry.msgid_plural
            and entry.msgstr
            and entry.msgstr.casefold() != entry.msgid.casefold()  # "Dari" is Dari in Polish too
            and "%" not in entry.msgid
            and len(entry.msgid) >= 4
            and re.search(r"[a-z]{3}", entry.msgid)
        }
        translated = found if translated is None else translated & found
    return frozenset((translated or set()) | {"- Select an option -", "---------"})


def _leaks(page: object) -> list[str]:
    english = _english_interface()
    problems = []
    for text in page.evaluate(VISIBLE_TEXTS):  # type: ignore[attr-defined]
        if text in english:
            problems.append(f"English: {text!r}")
        elif RAW_CODE.search(text) and "@" not in text and "/" not in text:
            problems.append(f"raw code: {text!r}")
    return problems


def _visit(page: object, base: str, paths: list[str]) -> list[str]:
    problems = []
    for language in LANGUAGES:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])  # type: ignore[attr-defined]
        for path in paths:
            response = page.goto(base + path)  # type: ignore[attr-defined]
            assert response is not None and response.status < 500, path
            assert page.evaluate("document.documentElement.lang") == language, path  # type: ignore[attr-defined]
            problems += [f"{language} {path}: {problem}" for problem in _leaks(page)]
    return problems


def test_public_and_staff_pages_show_no_english_or_raw_codes(live_server: object, page: object, world: World) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    public = ["/portal/", "/helpline/chat/", "/booking/cv/", "/portal/account/"]
    problems = _visit(page, base, public)

    counsellor = world.users[Role.COUNSELLOR]
    session = signed_in(counsellor).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])  # type: ignore[attr-defined]
    person = world.person.pk
    staff = ["/dashboard/", f"/people/{person}/?tab=path", "/people/new/", "/notifications/"]
    problems += _visit(page, base, staff)
    assert not problems, "\n".join(problems)
