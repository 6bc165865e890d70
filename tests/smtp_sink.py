"""A tiny SMTP server for tests (stdlib only): speaks enough of RFC 5321 for ``smtplib`` (EHLO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every message it receives, runs in a thread on a
free loopback port and stops with the test."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from email.message import Message


class _Handler(socketserver.StreamRequestHandler):
    def _say(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self._say("220 sink ESMTP")
        sender, rcpts = None, []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            cmd = raw.decode("utf-8", "replace").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250-sink" if verb == "EHLO" else "250 sink")
                if verb == "EHLO":
                    self._say("250 8BITMIME")
            elif verb == "MAIL":
                sender, rcpts = cmd.split(":", 1)[1].strip(), []
                self._say("250 OK")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip().strip("<>"))
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 end with .")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                self.server.sink.received(sender, rcpts, b"".join(lines))
                self._say("250 queued")
            elif verb == "RSET":
                sender, rcpts = None, []
                self._say("250 OK")
            elif verb == "NOOP":
                self._say("250 OK")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """``with SmtpSink() as sink: ... sink.url ... sink.messages``"""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.url = f"smtp://127.0.0.1:{self._server.server_address[1]}"

    def received(self, sender: str, rcpts: list[str], data: bytes) -> None:
        with self._lock:
            self.messages.append((sender, rcpts, email.message_from_bytes(
                data, policy=email.policy.default)))

    def __enter__(self) -> SmtpSink:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
