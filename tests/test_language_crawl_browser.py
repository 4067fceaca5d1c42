"""Every screen in every language: a crawl of the demo network, as the public, the demo client and every demo
staff role, in Polish, Ukrainian and Arabic, read in Chromium on a phone (390x844).

Each visitor signs in as a person would (password, then the demo account's TOTP code) and follows every
same-origin link it is shown, one page per URL pattern (the resolved URL name, the shape of its arguments and
the person page's ``tab``). Every page is read in Polish; a pattern is also read in Ukrainian and Arabic the
first time any visitor reaches it. On each page the test fails on:

- a visible text node or placeholder that is exactly an English msgid our catalogues translate (also in other
  letter case: a raw ``month`` where "Month" has a label), Django's untranslated empty choice, a snake_case
  value (``in_progress``) or a stored choice value whose label differs (``native``, ``temporary_protection``);
- a staff header taller than 15 % of the screen, or an open menu (every staff page, every language);
- in Arabic, a text of a server-drawn chart whose box leaves the drawing (surveys, monitoring, helpline
  statistics: the crawl must meet a chart of each).

Text marked as another language (``lang``) or as not to be translated (``translate="no"``, ``<code>``) is
people's content and is skipped. The demo is loaded once for the module; one browser serves every visitor."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import polib
import pytest
from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve

from ownpath.core.choices import Role
from tests.conftest import World, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("pl", "uk", "ar")
VIEWPORT = {"width": 390, "height": 844}
MAX_HEADER = 0.15 * VIEWPORT["height"]
MAX_PAGES_PER_VISITOR = 70
RAW_CODE = re.compile(r"\b[a-z]{2,}_[a-z_]{2,}\b")  # an enum value or a field name, e.g. in_progress
SKIP = re.compile(r"^/(accounts/(logout|password|email|2fa|reauthenticate)|i18n/|api/|admin/|static/|media/|hsds/)")
SKIP_NAME = re.compile(r"(export|download|pdf|csv|ics|feed|xls|json|print|attachment|file)", re.I)

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

LINKS = """() => Array.from(document.querySelectorAll('a[href]:not([download])'))
  .filter(a => a.origin === location.origin && !a.closest('[hidden]')).map(a => a.pathname + a.search)"""

HEADER = """() => { const bar = document.querySelector('header.topbar'), menu = document.querySelector('.nav-menu');
  return bar ? {height: bar.getBoundingClientRect().height, open: menu ? menu.open : false,
                staff: document.querySelector('.menu-group-label') !== null} : null; }"""

CHART_TEXTS_OUTSIDE = """() => Array.from(document.querySelectorAll('svg.chart')).flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll('text')).map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width === 0 || r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
                       r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
    .map(([text, r]) => `${text} (${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)})`);
})"""


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


@cache
def _folded_interface() -> frozenset[str]:
    return frozenset(text.casefold() for text in _english_interface())


@cache
def _choice_values() -> frozenset[str]:
    """Stored values of every choice field whose label says something else (``native`` for "Native")."""
    from django.apps import apps

    values = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and len(value) >= 4 and value.casefold() != str(label).casefold():
                    values.add(value)
    for choices in models.TextChoices.__subclasses__():
        values |= {c.value for c in choices if len(c.value) >= 4 and c.value.casefold() != str(c.label).casefold()}
    return frozenset(values)


def _leaks(texts: list[str], *, strict: bool = True) -> list[str]:
    """Leaks among ``texts``; ``strict`` adds other letter cases of msgids and stored choice values."""
    english = _english_interface()
    folded, values = (_folded_interface(), _choice_values()) if strict else (frozenset(), frozenset())
    problems = []
    for text in texts:
        if text in english or text.casefold() in folded:
            problems.append(f"English: {text!r}")
        elif text in values:
            problems.append(f"raw value: {text!r}")
        elif RAW_CODE.search(text) and "@" not in text and "/" not in text:
            problems.append(f"raw code: {text!r}")
    return problems


def _pattern(path: str) -> tuple[object, ...] | None:
    """One key per URL pattern: the URL's name, the names of its arguments, the person page's tab."""
    parts = urlsplit(path)
    if SKIP.match(parts.path):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if SKIP_NAME.search(match.view_name or "") or SKIP_NAME.search(parts.path):
        return None
    tab = parse_qs(parts.query).get("tab", [""])[0]
    return (match.view_name, tuple(sorted(match.kwargs)), tab)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[list[tuple[str, str]]]:
    """The demo network, loaded once for the module; (e-mail, TOTP secret) of one account per staff role.

    The monitoring module recomputes its figures after each invented fact; in tests that task runs at once, so
    it is held back while the demo loads and run once at the end, as the worker would."""
    from ownpath.core.demo import STAFF, demo_accounts, load_demo
    from ownpath.core.registry import registry
    from ownpath.modules.monitoring import aggregate

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        with mock.patch.object(aggregate, "_enqueue", lambda: None):
            load_demo()
            for loader in registry.demo_loaders:
                loader()
        aggregate.refresh_dirty()
        core = {f"{local}@" for local, *_ in STAFF}
        accounts = [(email, secret) for email, _r, _o, secret in demo_accounts() if email.split("@")[0] + "@" in core]
    yield accounts


def _sign_in(page: object, base: str, email: str, secret: str | None) -> None:
    from allauth.mfa import app_settings as mfa_settings

    from ownpath.core.demo import DEMO_PASSWORD, current_code

    page.goto(f"{base}/accounts/login/")  # type: ignore[attr-defined]
    page.fill("#id_login", email)  # type: ignore[attr-defined]
    page.fill("#id_password", DEMO_PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    if secret is None:
        page.wait_for_load_state()  # type: ignore[attr-defined]
        return
    page.wait_for_url("**/accounts/2fa/authenticate/")  # type: ignore[attr-defined]
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(2.5)
    page.fill("input[name=code]", current_code(secret))  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/dashboard/")  # type: ignore[attr-defined]


class Crawl:
    def __init__(self, base: str) -> None:
        self.base = base
        self.checked: set[tuple[object, ...]] = set()  # patterns read in every language
        self.problems: list[str] = []
        self.pages = 0
        self.charts: set[str] = set()

    def read(self, page: object, who: str, path: str, language: str) -> list[str] | None:
        """Open ``path`` in ``language``, check it, return the links it shows (None: not a page)."""
        page.context.add_cookies([{"name": "django_language", "value": language, "url": self.base}])  # type: ignore[attr-defined]
        try:
            response = page.goto(self.base + path)  # type: ignore[attr-defined]
        except Exception:  # a download, not a page
            return None
        self.pages += 1
        before = len(self.problems)
        where = f"{who} {language} {path}"
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return None
        if response.status >= 500:
            self.problems.append(f"{where}: status {response.status}")
            return None
        if page.evaluate("document.documentElement.lang") != language:  # type: ignore[attr-defined]
            self.problems.append(f"{where}: page is not in {language}")
        self.problems += [f"{where}: {problem}" for problem in _leaks(page.evaluate(VISIBLE_TEXTS))]  # type: ignore[attr-defined]
        header = page.evaluate(HEADER)  # type: ignore[attr-defined]
        if header and header["staff"] and (header["height"] > MAX_HEADER or header["open"]):
            self.problems.append(f"{where}: staff header {header['height']:.0f} px, menu open: {header['open']}")
        if language == "ar" and page.locator("svg.chart").count():  # type: ignore[attr-defined]
            self.charts.add(urlsplit(page.url).path.strip("/").split("/")[0])  # type: ignore[attr-defined]
            self.problems += [f"{where}: chart text outside: {t}" for t in page.evaluate(CHART_TEXTS_OUTSIDE)]  # type: ignore[attr-defined]
        for problem in self.problems[before:]:
            print(problem, flush=True)  # seen at once with -s (the crawl is long)
        return page.evaluate(LINKS)  # type: ignore[attr-defined]

    def visit(self, page: object, who: str, start: str) -> None:
        """Breadth first from ``start``: each pattern once in Polish, new patterns in Ukrainian and Arabic."""
        queue, seen = [start], {_pattern(start)}
        while queue and len(seen) <= MAX_PAGES_PER_VISITOR:
            path = queue.pop(0)
            links = self.read(page, who, path, "pl")
            key = _pattern(path)
            if links is not None and key not in self.checked:
                self.checked.add(key)
                for language in LANGUAGES[1:]:
                    self.read(page, who, path, language)
            for link in links or ():
                pattern = _pattern(link)
                if pattern is not None and pattern not in seen:
                    seen.add(pattern)
                    queue.append(link)


@pytest.mark.skipif(
    not os.environ.get("OWNPATH_LANGUAGE_CRAWL"),
    reason="the whole-demo crawl is long on a shared machine: run with OWNPATH_LANGUAGE_CRAWL=1 (docs/i18n.md)",
)
def test_every_page_of_every_demo_role_is_in_the_readers_language(
    live_server: object, browser: object, demo: list[tuple[str, str]]
) -> None:
    from ownpath.core.demo import CLIENT_EMAIL

    base = live_server.url  # type: ignore[attr-defined]
    crawl = Crawl(base)
    started = time.monotonic()
    visitors: list[tuple[str, str | None, str | None]] = [("public", None, None), (CLIENT_EMAIL, None, None)]
    visitors += [(email, email, secret) for email, secret in demo]
    for who, email, secret in visitors:
        context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
        try:
            page = context.new_page()
            if who == CLIENT_EMAIL:
                _sign_in(page, base, CLIENT_EMAIL, None)
            elif email is not None:
                _sign_in(page, base, email, secret)
            start = "/portal/" if email is None and who == "public" else urlsplit(page.url).path
            crawl.visit(page, who.split("@")[0], start)
            print(
                f"{who}: {len(crawl.checked)} patterns, {crawl.pages} loads, {time.monotonic() - started:.0f} s",
                flush=True,
            )
        finally:
            context.close()
    elapsed = time.monotonic() - started
    print(f"language crawl: {len(crawl.checked)} patterns, {crawl.pages} page loads, {elapsed:.0f} s")
    assert len(crawl.checked) >= 60, sorted(map(str, crawl.checked))
    assert {"surveys", "monitoring", "helpline"} <= crawl.charts, f"charts met only on {sorted(crawl.charts)}"
    assert not crawl.problems, "\n".join(sorted(set(crawl.problems)))


def test_public_and_staff_pages_show_no_english_or_raw_codes(live_server: object, page: object, world: World) -> None:
    """The short crawl the suite always runs: eight pages of the public and a counsellor, in each language."""
    base = live_server.url  # type: ignore[attr-defined]
    problems: list[str] = []

    def visit(paths: list[str]) -> None:
        for language in LANGUAGES:
            page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])  # type: ignore[attr-defined]
            for path in paths:
                response = page.goto(base + path)  # type: ignore[attr-defined]
                assert response is not None and response.status < 500, path
                assert page.evaluate("document.documentElement.lang") == language, path  # type: ignore[attr-defined]
                texts = page.evaluate(VISIBLE_TEXTS)  # type: ignore[attr-defined]
                problems.extend(f"{language} {path}: {p}" for p in _leaks(texts, strict=False))

    visit(["/portal/", "/helpline/chat/", "/booking/cv/", "/portal/account/"])
    session = signed_in(world.users[Role.COUNSELLOR]).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])  # type: ignore[attr-defined]
    person = world.person.pk
    visit(["/dashboard/", f"/people/{person}/?tab=path", "/people/new/", "/notifications/"])
    assert not problems, "\n".join(problems)
