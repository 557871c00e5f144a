"""Downloads against a real (misbehaving) HTTP server on 127.0.0.1: retries, then clear errors."""

import http.server
import os
import socket
import threading
import time

import pytest

from apk_py import netfetch
from apk_py.context import Context
from apk_py.errors import PkError
from repo_helpers import Server

PAYLOAD = os.urandom(200_000)


class Behaviour:
    """What the server does on each request, in order; the last one repeats."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.requests = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            step = self.steps[min(self.requests, len(self.steps) - 1)]
            self.requests += 1
            return step


def handler_for(behaviour):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            step = behaviour.next()
            if step == "ok":
                self._send(PAYLOAD)
            elif step == "drop":
                self.connection.shutdown(socket.SHUT_RDWR)
            elif step == "truncate":
                self.send_response(200)
                self.send_header("Content-Length", str(len(PAYLOAD)))
                self.end_headers()
                self.wfile.write(PAYLOAD[: len(PAYLOAD) // 3])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            elif step == "stall":
                self.send_response(200)
                self.send_header("Content-Length", str(len(PAYLOAD)))
                self.end_headers()
                self.wfile.write(PAYLOAD[:1000])
                self.wfile.flush()
                time.sleep(3)
                self.connection.shutdown(socket.SHUT_RDWR)
            elif step in ("404", "500"):
                self.send_response(int(step))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif step == "notmodified":
                self.send_response(304)
                self.end_headers()

        def _send(self, data):
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr(netfetch, "BACKOFF", 0.01)


def fetch(behaviour, tmp_path, size=len(PAYLOAD), timeout="1"):
    ctx = Context(root=str(tmp_path), timeout=timeout)
    target = tmp_path / "out.bin"
    with Server(tmp_path, handler_for(behaviour)) as server:
        netfetch.download(ctx, f"{server.url}/pkg.apk", str(target), size)
    return target


@pytest.mark.parametrize("failure", ["drop", "truncate", "stall", "500"])
def test_transient_failures_are_retried(tmp_path, failure):
    behaviour = Behaviour(failure, failure, "ok")
    assert fetch(behaviour, tmp_path).read_bytes() == PAYLOAD
    assert behaviour.requests == 3


@pytest.mark.parametrize("failure, reason", [("drop", "connection"), ("truncate", "truncated"), ("stall", "timed out"), ("500", "500")])
def test_persistent_failures_give_up_with_a_clear_error(tmp_path, failure, reason):
    behaviour = Behaviour(failure)
    with pytest.raises(PkError) as caught:
        fetch(behaviour, tmp_path)
    message = str(caught.value)
    assert "/pkg.apk" in message and reason in message and "\n" not in message
    assert behaviour.requests == netfetch.ATTEMPTS
    assert not (tmp_path / "out.bin").exists() and not (tmp_path / "out.bin.part").exists()


def test_not_found_is_not_retried(tmp_path):
    behaviour = Behaviour("404")
    with pytest.raises(PkError, match="404"):
        fetch(behaviour, tmp_path)
    assert behaviour.requests == 1


def test_wrong_size_is_refused(tmp_path):
    with pytest.raises(PkError, match="expected"):
        fetch(Behaviour("ok"), tmp_path, size=1000)


def test_no_network_refuses_at_once(tmp_path):
    ctx = Context(root=str(tmp_path), no_network=True)
    with pytest.raises(PkError, match="--no-network"):
        netfetch.download(ctx, "http://127.0.0.1:9/x", str(tmp_path / "x"))
