"""Rebuild the inline icon sprite (ownpath/core/templates/core/icons.svg) from the lucide-static npm package.

Lucide (ISC licence, ownpath/core/static/ownpath/vendor/lucide-LICENSE) draws every icon as strokes on a
24x24 grid; the sprite keeps only the icons named in ICONS, each as a <symbol id="i-NAME">, and the
``{% icon "NAME" %}`` template tag refers to them. Run after ``npm pack lucide-static@1.62.0`` and
unpacking the tarball:

    python scripts/build_icon_sprite.py /tmp/lucide-static-1.62.0/package
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPRITE = ROOT / "ownpath" / "core" / "templates" / "core" / "icons.svg"
NAMES = ROOT / "ownpath" / "core" / "icons.py"

ICONS = [
    "arrow-left",
    "arrow-right",
    "bell",
    "book-open",
    "bookmark",
    "bookmark-plus",
    "briefcase",
    "calendar-check",
    "chart-column",
    "chevron-down",
    "circle-alert",
    "circle-check",
    "clock",
    "compass",
    "external-link",
    "file-check",
    "file-text",
    "filter",
    "graduation-cap",
    "hand-heart",
    "headset",
    "house",
    "inbox",
    "info",
    "languages",
    "layout-dashboard",
    "life-buoy",
    "lock",
    "log-out",
    "mail",
    "map",
    "map-pin",
    "menu",
    "message-circle",
    "navigation",
    "phone",
    "printer",
    "route",
    "scale",
    "search",
    "settings",
    "shield-check",
    "triangle-alert",
    "user",
    "users",
    "x",
]


def symbol(name: str, svg: str) -> str:
    body = svg.split(">", 2)[2] if svg.startswith("<!--") else svg.split(">", 1)[1]
    body = body.rsplit("</svg>", 1)[0]
    body = re.sub(r"\s+", " ", body).replace(" />", "/>").replace("> <", "><").strip()
    return f'<symbol id="i-{name}" viewBox="0 0 24 24">{body}</symbol>'


def main(package: Path) -> None:
    symbols = [symbol(name, (package / "icons" / f"{name}.svg").read_text()) for name in ICONS]
    version = re.search(r'"version":\s*"([^"]+)"', (package / "package.json").read_text())
    SPRITE.write_text(
        f"<!-- Lucide {version.group(1) if version else ''}, ISC licence: static/ownpath/vendor/lucide-LICENSE -->"
        '<svg xmlns="http://www.w3.org/2000/svg" class="sprite" aria-hidden="true" focusable="false">'
        + "".join(symbols)
        + "</svg>\n"
    )
    NAMES.write_text(
        '"""The names of the icons in the inline sprite (written by scripts/build_icon_sprite.py)."""\n\n'
        f"ICONS = frozenset({sorted(ICONS)!r})\n"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
