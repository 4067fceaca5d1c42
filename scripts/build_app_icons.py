"""Rebuild the favicon and web-app icons in ownpath/core/static/ownpath/icons/.

The mark is Lucide's "route" icon (ISC, static/ownpath/vendor/lucide-LICENSE) drawn white on the accent
colour. The SVG is written here; the PNG sizes are rendered by Debian's Chromium and favicon.ico is made from
the 16, 32 and 48 pixel renderings with Pillow:

    .venv/bin/python scripts/build_app_icons.py
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "ownpath" / "core" / "static" / "ownpath" / "icons"
ACCENT = "#0b5cad"
ROUTE = (
    '<circle cx="6" cy="19" r="3"/><path d="M9 19h8.5a3.5 3.5 0 0 0 0-7h-11a3.5 3.5 0 0 1 0-7H15"/>'
    '<circle cx="18" cy="5" r="3"/>'
)


def svg(padding: float, rounded: bool) -> str:
    """The mark; ``padding`` (in 24-unit grid) leaves the safe zone that maskable icons need."""
    size = 24 + 2 * padding
    radius = size * 0.22 if rounded else 0
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-padding} {-padding} {size} {size}">'
        f'<rect x="{-padding}" y="{-padding}" width="{size}" height="{size}" rx="{radius}" fill="{ACCENT}"/>'
        f'<g fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">{ROUTE}</g></svg>'
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg(5, rounded=True) + "\n")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()

        def render(size: int, padding: float, rounded: bool) -> bytes:
            page.set_viewport_size({"width": size, "height": size})
            page.set_content(
                f"<style>html,body{{margin:0;background:transparent}}svg{{display:block;width:{size}px;height:{size}px}}</style>"
                + svg(padding, rounded)
            )
            return page.screenshot(omit_background=True)

        (OUT / "icon-192.png").write_bytes(render(192, 5, True))
        (OUT / "icon-512.png").write_bytes(render(512, 5, True))
        (OUT / "icon-maskable-512.png").write_bytes(render(512, 9, False))
        (OUT / "apple-touch-icon.png").write_bytes(render(180, 6, False))
        small = [Image.open(io.BytesIO(render(size, 3, True))) for size in (16, 32, 48)]
        browser.close()
    small[2].save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)], append_images=small[:2])


if __name__ == "__main__":
    main()
