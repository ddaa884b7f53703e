"""The headless browser that renders static images, started so that it talks to no one.

kaleido drives Chromium (through choreographer), whose background services look up and contact
Google and search-engine hosts at every start (accounts.google.com, update.googleapis.com,
clients2.google.com, start.duckduckgo.com …). On a local-government network (LGWAN) that is a
finding, and the pack has no need of the network: everything it renders is inline. divide therefore
starts the browser through a small wrapper that adds switches turning background networking,
component and extension updates, sync, pings and prefetching off, and maps every host name to "not
found" so that nothing is even looked up. ``tests/test_report_network.py`` runs a static export
under ``strace`` and finds no outbound traffic.
"""

from __future__ import annotations

import atexit
import shlex
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
QUIET_SWITCHES = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
    "--disable-quic",
    "--dns-prefetch-disable",
    "--disable-extensions",
    "--no-default-browser-check",
    "--no-first-run",
    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,DialMediaRouteProvider,NetworkTimeServiceQuerying",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)


def find_browser() -> str | None:
    """A Chrome or Chromium executable on this machine (PATH first, then where choreographer looks)."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # choreographer missing or its search failing means the same: no browser
        return None
    return str(found) if found else None


@lru_cache(maxsize=1)
def quiet_browser() -> Path | None:
    """A wrapper script that starts the browser with :data:`QUIET_SWITCHES` (None when there is no
    browser).
    """
    browser = find_browser()
    if browser is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="divide-browser-"))
    atexit.register(shutil.rmtree, folder, True)
    script = folder / "quiet-chromium"
    script.write_text(
        "#!/bin/sh\nexec "
        + " ".join(shlex.quote(p) for p in (browser, *QUIET_SWITCHES))
        + ' "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def kaleido_options() -> dict:
    """Options for ``kaleido`` (kopts): no MathJax from a CDN, the quiet browser, no extensions."""
    options: dict = {"mathjax": False, "enable_extensions": False}
    wrapper = quiet_browser()
    if wrapper is not None:
        options["path"] = str(wrapper)
    return options
