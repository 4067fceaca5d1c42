"""Rebuild the vendored UI font files in ownpath/core/static/ownpath/fonts/ from the npm packages.

The fonts are Noto Sans (SIL Open Font License 1.1) as published by Fontsource on the npm registry.
Fontsource already splits each family by script; this script cuts the pieces we serve further, so that a
page in English, Polish, Ukrainian or Arabic downloads only the glyphs its language needs:

    cd /tmp && npm pack @fontsource/noto-sans@5.3.0 @fontsource/noto-sans-arabic@5.3.0 \
        @fontsource/noto-sans-georgian@5.3.0 @fontsource/noto-sans-ethiopic@5.3.0 \
        @fontsource/noto-sans-devanagari@5.3.0
    for f in fontsource-*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools brotli
    /tmp/ft/bin/python scripts/subset_fonts.py /tmp

Each output's unicode range is the one written in ownpath/core/static/ownpath/fonts.css; keep them equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

OUT = Path(__file__).resolve().parent.parent / "ownpath" / "core" / "static" / "ownpath" / "fonts"

ARABIC = (
    "U+0600-061F,U+0621-065F,U+0660-066F,U+0670-0671,U+067E,U+0686,U+0698,U+06A9,U+06AF,U+06CC,U+06F0-06F9,U+200C-200F"
)
# output name, package directory, file inside files/, unicode ranges kept
PIECES: list[tuple[str, str, str, str]] = [
    (
        "latin",
        "fontsource-noto-sans-5.3.0",
        "noto-sans-latin-{w}-normal.woff2",
        "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,"
        "U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
    ),
    # Latin Extended-A only (Polish, Czech, Romanian, Turkish, Latvian...), not the whole latin-ext piece.
    (
        "latin-ext",
        "fontsource-noto-sans-5.3.0",
        "noto-sans-latin-ext-{w}-normal.woff2",
        "U+0100-017F,U+0218-021B,U+20B4,U+20BD",
    ),
    (
        "cyrillic",
        "fontsource-noto-sans-5.3.0",
        "noto-sans-cyrillic-{w}-normal.woff2",
        "U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116",
    ),
]
# One weight only (the browser draws bold from it) for the scripts the interface is not written in, and for
# Arabic, so that the portal home in Arabic stays under 60 KB: the Arabic letters, the six more of Persian and
# Dari, Arabic-Indic and Persian digits. Pashto's and Urdu's further letters fall back to the system font.
SINGLE_WEIGHT: list[tuple[str, str, str, str]] = [
    ("arabic", "fontsource-noto-sans-arabic-5.3.0", "noto-sans-arabic-arabic-400-normal.woff2", ARABIC),
    (
        "georgian",
        "fontsource-noto-sans-georgian-5.3.0",
        "noto-sans-georgian-georgian-400-normal.woff2",
        "U+0589,U+10A0-10FF,U+1C90-1CBA,U+1CBD-1CBF,U+2D00-2D2F",
    ),
    (
        "ethiopic",
        "fontsource-noto-sans-ethiopic-5.3.0",
        "noto-sans-ethiopic-ethiopic-400-normal.woff2",
        "U+1200-139F,U+2D80-2DDF,U+AB01-AB2F",
    ),
    (
        "devanagari",
        "fontsource-noto-sans-devanagari-5.3.0",
        "noto-sans-devanagari-devanagari-400-normal.woff2",
        "U+0900-097F,U+1CD0-1CF9,U+200C-200D,U+20A8,U+20B9,U+25CC,U+A830-A839,U+A8E0-A8FF",
    ),
]


def cut(source: Path, target: Path, ranges: str) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Arabic shaping (init, medi, fina, rlig) and kerning stay
    options.name_IDs = ["*"]  # the licence and copyright notices stay in the font
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(ranges))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    print(f"{target.name}: {source.stat().st_size} -> {target.stat().st_size} bytes")


def main(root: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, package, pattern, ranges in PIECES:
        for weight in ("400", "700"):
            cut(
                root / package / "package" / "files" / pattern.format(w=weight),
                OUT / f"noto-sans-{name}-{weight}.woff2",
                ranges,
            )
    for name, package, filename, ranges in SINGLE_WEIGHT:
        cut(root / package / "package" / "files" / filename, OUT / f"noto-sans-{name}-400.woff2", ranges)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
