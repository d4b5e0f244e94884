"""Real SMTP and HTTP receivers on 127.0.0.1 for the escalation channel tests (no mocks).

The SMTP receiver speaks just enough RFC 5321 for ``smtplib`` (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT) and can refuse the first N messages with a temporary 451, as a busy relay does.
"""

from __future__ import annotations

import http.server
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Received:
    messages: list[dict] = field(default_factory=list)  # {"from", "to", "data"} or {"path", "headers", "body"}
    refuse_first: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def should_refuse(self) -> bool:
        with self.lock:
            if self.refused < self.refuse_first:
                self.refused += 1
                return True
            return False


class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        box: Received = self.server.box  # type: ignore[attr-defined]
        self._reply("220 test-relay ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 test-relay")
            elif verb == "MAIL":
                if box.should_refuse():
                    self._reply("451 4.3.0 try again later")
                    continue
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with box.lock:
                    box.messages.append({"from": sender, "to": recipients, "data": b"".join(data)})
                self._reply("250 queued")
            elif verb in ("RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_relay(refuse_first: int = 0) -> Iterator[tuple[int, Received]]:
    box = Received(refuse_first=refuse_first)
    server = _Server(("127.0.0.1", 0), _SmtpHandler)
    server.box = box  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], box
    finally:
        server.shutdown()
        server.server_close()


class _HookHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        box: Received = self.server.box  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if box.should_refuse():
            self.send_response(503)
            self.end_headers()
            return
        with box.lock:
            box.messages.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(202)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def webhook_receiver(refuse_first: int = 0) -> Iterator[tuple[str, Received]]:
    box = Received(refuse_first=refuse_first)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HookHandler)
    server.box = box  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/alarm", box
    finally:
        server.shutdown()
        server.server_close()
