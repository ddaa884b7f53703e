"""Command line: ``divide fetch | build | summary | brief | doctor``.

Every error is one line on stderr and exit status 2 (``--debug`` shows the traceback). Heavy
libraries are imported only by the command that needs them, so ``divide --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from divide.errors import DivideError


def _progress() -> bool:
    """Bars on stderr when a person watches it (a terminal) or DIVIDE_PROGRESS=1; never in a log or
    a pipe.
    """
    return sys.stderr.isatty() or os.environ.get("DIVIDE_PROGRESS") == "1"


def _fetch(args: argparse.Namespace) -> int:
    from divide.fetch import fetch
    from divide.paths import default_mirror

    mirror = Path(args.mirror) if args.mirror else None
    report = fetch(
        Path(args.dest) if args.dest else None,
        mirror=mirror,
        datasets=args.dataset or None,
        force=args.force,
        progress=_progress(),
    )
    print("\n".join(report.lines()))
    if not report.ok:
        hint = (
            f"; a mirror exists: divide fetch --mirror {default_mirror()}"
            if mirror is None and default_mirror() is not None
            else ""
        )
        print(
            f"divide: {len(report.failures)} dataset(s) could not be fetched (listed above){hint}",
            file=sys.stderr,
        )
        return 2
    return 0


def _build(args: argparse.Namespace) -> int:
    from divide.frame.data import build_data
    from divide.frame.processed import write_processed

    paths = write_processed(
        build_data(Path(args.raw) if args.raw else None, progress=_progress()),
        Path(args.out) if args.out else None,
    )
    for path in paths.values():
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from divide.frame.load import load_frame
    from divide.report.describe import describe

    frame = load_frame(
        None if args.pref in ("all", "none") else args.pref,
        source=args.source,
        broadband=args.broadband,
        broadband_as_of=args.broadband_as_of,
    )
    print(describe(frame, lang=args.lang))
    return 0


def _brief(args: argparse.Namespace) -> int:
    from divide.report.atomic import check_writable

    check_writable(args.out)  # a bad --out fails now, not after the analysis
    from divide.report.pack import briefing_pack

    report = briefing_pack(
        args.pref,
        args.out,
        lang=args.lang,
        k=args.k,
        static=not args.no_static,
        cards=not args.no_cards,
        broadband=args.broadband,
        broadband_as_of=args.broadband_as_of,
        source=args.source,
        progress=_progress(),
    )
    print("\n".join(report.lines()))
    return 0


def _prefecture(value: str) -> str:
    """``--pref``: checked before any work starts (a code, 福島県 or Fukushima; 'all' for Japan)."""
    from divide.codes import normalize_pref

    if value in ("all", "none"):
        return value
    try:
        return normalize_pref(value) or value
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _threshold(value: str) -> int:
    """``--k``: the disclosure threshold is at least 1 (0 or less would switch disclosure control
    off).
    """
    try:
        k = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"--k must be a whole number >= 1 (got {value!r})"
        ) from exc
    if k < 1:
        raise argparse.ArgumentTypeError(
            f"--k must be at least 1: estimated counts below k are suppressed (got {k})"
        )
    return k


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage itself is one ``--help`` away)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _doctor(args: argparse.Namespace) -> int:
    from divide.doctor import diagnose

    checks = diagnose(Path(args.out), render=not args.quick)
    print("\n".join(check.line() for check in checks))
    failed = [c for c in checks if c.required and not c.ok]
    if failed:
        print(
            f"divide: {len(failed)} required check(s) failed: {', '.join(c.name for c in failed)} "
            "(fixes above)",
            file=sys.stderr,
        )
        return 2
    return 0


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="divide", description="Where offline support must accompany online services.")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fetch", help="fill data/raw from the official URLs or a mirror")
    f.add_argument("--mirror", help="copy from this mirror directory instead of downloading")
    f.add_argument("--dest", help="target directory (default data/raw)")
    f.add_argument("--dataset", action="append", help="only this dataset id (repeatable)")
    f.add_argument(
        "--force", action="store_true", help="fetch again even when the checksum matches"
    )
    f.set_defaults(run=_fetch)
    b = sub.add_parser("build", help="build data/processed (the embedded default) from data/raw")
    b.add_argument("--raw", help="raw directory (default data/raw)")
    b.add_argument("--out", help="output directory (default data/processed)")
    b.set_defaults(run=_build)
    s = sub.add_parser("summary", help="print a summary of the municipal frame")
    s.add_argument(
        "--pref",
        default="07",
        type=_prefecture,
        help="prefecture code or name, or 'all' (default 07)",
    )
    s.add_argument("--lang", default="ja", choices=["ja", "en"])
    s.add_argument("--source", default="auto", choices=["auto", "raw", "processed"])
    _broadband_arguments(s)
    s.set_defaults(run=_summary)
    r = sub.add_parser(
        "brief", help="write the council briefing pack (maps, slides, tables, GIS) for a prefecture"
    )
    r.add_argument(
        "--pref", default="07", type=_prefecture, help="prefecture code or name (default 07)"
    )
    r.add_argument("--out", default="outputs", help="output folder (default outputs/)")
    r.add_argument("--lang", default="ja", choices=["ja", "en"])
    r.add_argument(
        "--k",
        type=_threshold,
        default=10,
        help="suppress estimated counts below k in exports (default 10)",
    )
    r.add_argument("--source", default="auto", choices=["auto", "raw", "processed"])
    _broadband_arguments(r)
    r.add_argument(
        "--no-static", action="store_true", help="skip PNG/PDF maps, PPTX decks and cards"
    )
    r.add_argument(
        "--no-cards", action="store_true", help="skip the per-municipality profile cards"
    )
    r.set_defaults(run=_brief)
    d = sub.add_parser(
        "doctor", help="check this machine (packages, data, browser, font) and say how to fix it"
    )
    d.add_argument("--out", default="outputs", help="the output folder to check for write access")
    d.add_argument("--quick", action="store_true", help="do not try a static render (2 s)")
    d.set_defaults(run=_doctor)
    return p


def _broadband_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--broadband", help="MIC municipal FTTH coverage xlsx or CSV code,value,as_of,source"
    )
    command.add_argument(
        "--broadband-as-of",
        metavar="YYYY-MM-DD",
        help="the date the broadband figures refer to, when the workbook does not say it",
    )


def main(argv: list[str] | None = None) -> int:
    from divide.report.atomic import raise_on_sigterm

    args = parser().parse_args(argv)
    raise_on_sigterm()
    try:
        return args.run(args)
    except KeyboardInterrupt as exc:
        print(
            f"divide: interrupted{f' ({exc})' if str(exc) else ''}; a pack being written was "
            "discarded, "
            "the previous one is intact",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:  # one line for an analyst; the traceback only when asked for
        if args.debug:
            raise
        what = (
            str(exc)
            if isinstance(exc, DivideError)
            else f"unexpected error {type(exc).__name__}: {exc}"
        )
        print(
            f"divide: {what.splitlines()[0] if what else type(exc).__name__} (--debug shows "
            "details)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
