"""Render the briefing packs to images for a person to look at: 07 (ja, en), 01 and 13.

For each pack: ``divide brief`` writes it, LibreOffice (headless) turns briefing.pptx and
profiles.pptx into PDF, and pdftoppm turns every slide into a PNG under ``<out>/<pack>/look/``. Open
them in any image viewer. Debian: ``apt-get install libreoffice-impress poppler-utils``.

    .venv/bin/python bench/render_packs.py [--out /tmp/packs] [--only 07:ja]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from pathlib import Path

import divide

PACKS = (("07", "ja"), ("07", "en"), ("01", "ja"), ("13", "en"), ("47", "ja"))


def slides_to_png(
    deck: Path, look: Path, first: int | None = None, last: int | None = None
) -> list[Path]:
    """PDF through LibreOffice, then one PNG per slide (96 dpi: as a projector shows it)."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(look), str(deck)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    pdf = look / f"{deck.stem}.pdf"
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", *pages, str(pdf), str(look / deck.stem)],
        check=True,
        timeout=900,
    )
    return sorted(look.glob(f"{deck.stem}-*.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/packs")
    parser.add_argument("--only", action="append", help="pref:lang, e.g. 07:ja (repeatable)")
    args = parser.parse_args()
    chosen = [tuple(o.split(":")) for o in args.only] if args.only else PACKS
    for pref, lang in chosen:
        out = Path(args.out) / lang
        start = time.perf_counter()
        report = divide.briefing_pack(pref, out, lang=lang, progress=False)
        took = time.perf_counter() - start
        look = report.directory / "look"
        shutil.rmtree(look, ignore_errors=True)
        look.mkdir()
        slides = slides_to_png(report.directory / "briefing.pptx", look)
        cards = slides_to_png(report.directory / "profiles.pptx", look, 1, 3)
        sizes = {p.name: p.stat().st_size for p in report.written if p.suffix == ".pptx"}
        print(
            f"{pref}/{lang}: pack in {took:.0f} s, {len(slides)} slides, {len(cards)} card pages "
            f"in {look}; "
            + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes.items())
        )


if __name__ == "__main__":
    main()
