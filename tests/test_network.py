"""The suite runs with outbound network blocked (pytest-socket, configured in pyproject.toml)."""

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_outbound_socket_is_refused():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("93.184.215.14", 80), timeout=2)


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()
