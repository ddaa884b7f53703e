"""Static export talks to no one: the browser divide starts makes no outbound connection and sends
nothing.

The export runs in a child process under ``strace -f``, which records every ``connect`` and every
send of the Python process and of the browser it starts. Unix sockets and loopback are local;
anything else fails the test. (A UDP ``connect`` without a send is a route probe: the kernel sends
no packet.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from divide.report.static import static_status

pytestmark = [
    pytest.mark.skipif(
        shutil.which("strace") is None, reason="needs strace (apt-get install strace)"
    ),
    pytest.mark.skipif(not static_status()[0], reason="static export needs a browser"),
]

EXPORT = """
import sys
import plotly.graph_objects as go
from divide.report.static import ImageJob, render
figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 1]), layout=dict(title="ネットワーク", width=300, height=200))
render([ImageJob(figure, __import__("pathlib").Path(sys.argv[1]), "png")])
"""
LOCAL = re.compile(
    r"127\.0\.0\.1|::1|inet_addr\(\"127\.|sa_family=AF_UNIX|sa_family=AF_NETLINK|<UNIX|<NETLINK"
)
CONNECT = re.compile(r"connect\((\d+)<(\w+)[^>]*>, \{([^}]*)\}")
SEND = re.compile(r"(sendto|sendmsg|sendmmsg|write)\((\d+)<(TCP|UDP|TCPv6|UDPv6):\[([^\]]*)\]>")


def outbound(trace: str) -> list[str]:
    """Lines of an strace log that reach beyond this machine."""
    found = []
    for line in trace.splitlines():
        connect = CONNECT.search(line)
        if connect and connect.group(2).startswith("TCP") and not LOCAL.search(connect.group(3)):
            found.append(line)
        send = SEND.search(line)
        if send and not re.search(r"127\.0\.0\.1|::1|\[::ffff:127", send.group(4)):
            found.append(line)
    return found


def test_outbound_detector_sees_a_connection_and_ignores_loopback():
    tcp = (
        "123 connect(5<TCP:[4242]>, {sa_family=AF_INET, sin_port=htons(443), "
        'sin_addr=inet_addr("142.250.1.1")}, 16)'
    )
    local = (
        "123 connect(5<TCP:[4243]>, {sa_family=AF_INET, sin_port=htons(80), "
        'sin_addr=inet_addr("127.0.0.1")}, 16)'
    )
    sent = "123 sendto(7<UDP:[10.0.0.2:5353->10.255.255.53:53]>, ...) = 40"
    assert outbound("\n".join([tcp, local, sent])) == [tcp, sent]


def test_static_export_makes_no_outbound_connection(tmp_path):
    image, log = tmp_path / "figure.png", tmp_path / "strace.log"
    subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-yy",
            "-s",
            "80",
            "-o",
            str(log),
            "-e",
            "trace=connect,sendto,sendmsg,sendmmsg,write",
            sys.executable,
            "-c",
            EXPORT,
            str(image),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert image.stat().st_size > 1000  # the export really ran
    trace = log.read_text(errors="replace")
    assert "connect(" in trace  # strace saw the browser's sockets (its own IPC)
    assert outbound(trace) == []
