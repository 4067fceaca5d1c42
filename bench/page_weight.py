"""Benchmark: the weight of the portal home on a phone (goal, issue 20: under 60 KB transferred).

    .venv/bin/python bench/page_weight.py http://127.0.0.1:8000 [/portal/ ...]

Run against a server of this checkout with the demo loaded (make run). For each language a fresh
Chromium at 390x844 (empty cache) opens the page; every response is counted. "sent" is what the
server sent (HTML is gzip-compressed by GZipMiddleware); "production" counts text files (CSS, JS, SVG)
as WhiteNoise sends them in production, compressed at collectstatic (gzip level 9 here; WhiteNoise also
makes Brotli, smaller still), because the development server sends static files uncompressed. Fonts
(woff2) and images are already compressed. A page downloads only the font pieces its text needs.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LANGUAGES = ("en", "pl", "uk", "ar")
TEXT_TYPES = ("text/css", "javascript", "image/svg+xml", "manifest+json", "text/html")


def weigh(browser: object, base: str, path: str, language: str) -> list[tuple[str, int, int, int]]:
    """(url, raw bytes, bytes sent, bytes in production) of every response the page needed."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    responses: list[object] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    rows = []
    for response in responses:
        body = response.body()  # type: ignore[attr-defined]
        sizes = response.request.sizes()  # type: ignore[attr-defined]
        sent = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        kind = response.headers.get("content-type", "")  # type: ignore[attr-defined]
        encoded = response.headers.get("content-encoding")  # type: ignore[attr-defined]
        production = sent
        if not encoded and any(t in kind for t in TEXT_TYPES):
            production = len(gzip.compress(body, 9)) + sizes["responseHeadersSize"]
        rows.append((response.url.removeprefix(base), len(body), sent, production))  # type: ignore[attr-defined]
    context.close()
    return rows


def main(base: str, paths: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    print(machine())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for path in paths or ["/portal/"]:
            for language in LANGUAGES:
                rows = weigh(browser, base, path, language)
                raw, sent, production = (sum(row[i] for row in rows) for i in (1, 2, 3))
                print(
                    f"{path} [{language}]  {len(rows)} requests  raw {raw / 1024:6.1f} KB  "
                    f"sent {sent / 1024:6.1f} KB  production {production / 1024:6.1f} KB"
                )
                for url, size, on_wire, in_production in rows:
                    print(f"    {url[:70]:70} raw {size:7}  sent {on_wire:7}  production {in_production:7}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
