"""Real servers on loopback for the reminder tests: an SMTP server (aiosmtpd) and an HTTP
SMS gateway (http.server). Both record what they received; both can be made to fail."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """The aiosmtpd handler: keeps every message; answers `reply` to DATA."""

    received: list[Envelope] = field(default_factory=list)
    reply: str = "250 Message accepted for delivery"
    refuse_recipients: bool = False  # answer 550 to RCPT, as for an unknown mailbox

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.refuse_recipients:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.reply.startswith("250"):
            self.received.append(envelope)
        return self.reply

    def emails(self) -> list[EmailMessage]:
        messages = []
        for envelope in self.received:
            content = envelope.original_content or envelope.content
            assert isinstance(content, bytes)
            parsed = message_from_bytes(content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            messages.append(parsed)
        return messages


class SmtpServer:
    """aiosmtpd on a free loopback port; `stop()` and `start()` take it off and on line
    (same port), as a mail server that goes away does."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.mailbox, hostname=LOOPBACK, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class SmsRequest:
    path: str
    headers: dict[str, str]
    payload: Any


class SmsGateway:
    """A ThreadingHTTPServer answering POSTs with `status` and recording every request."""

    def __init__(self) -> None:
        self.requests: list[SmsRequest] = []
        self.status = 200
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/v1/messages"

    def start(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                gateway.requests.append(
                    SmsRequest(self.path, dict(self.headers.items()), json.loads(raw or b"null"))
                )
                body = json.dumps({"ok": 200 <= gateway.status < 300}).encode()
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        self._server = ThreadingHTTPServer((LOOPBACK, self.port), Handler)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


@contextmanager
def sms_gateway() -> Iterator[SmsGateway]:
    gateway = SmsGateway()
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()
