"""Getting a reminder to the patient: e-mail over SMTP, text messages through an HTTP gateway.

A transport raises TransportError when a message did not go; the reminder service decides
whether to try again. Error texts name what went wrong, never a password, token or URL.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol
from urllib.request import Request

from app.models import Channel

DEFAULT_TIMEOUT = 30.0  # seconds; a reminder is never worth hanging the queue for


@dataclass(frozen=True)
class OutgoingMessage:
    channel: Channel
    to: str  # an e-mail address, or a mobile number in E.164 (+13125550123)
    body: str
    subject: str | None = None  # e-mail only
    calendar: bytes | None = None  # an .ics invite to attach (e-mail only)
    sender_name: str | None = None  # shown as the e-mail's From name (the practice)


class TransportError(Exception):
    """The message did not go. `permanent` means trying again cannot help (the server
    refused the address or the number)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    @property
    def channels(self) -> frozenset[Channel]:
        """The channels this transport can deliver."""
        ...

    def send(self, message: OutgoingMessage) -> None:
        """Deliver one message or raise TransportError."""
        ...


class SmtpTransport:
    """E-mail through the practice's mail server (STARTTLS when asked for)."""

    channels = frozenset({Channel.EMAIL})

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self._password = password
        self.starttls = starttls
        self.timeout = timeout

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"SmtpTransport({self.host!r}, {self.port}, {self.sender!r})"

    def send(self, message: OutgoingMessage) -> None:
        email = self.email_for(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.username:
                    server.login(self.username, self._password or "")
                server.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise TransportError(
                f"The mail server refused the patient's address ({_codes(codes)}).",
                permanent=all(500 <= code < 600 for code in codes),
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise TransportError(
                f"The mail server did not accept the user name and password ({exc.smtp_code})."
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise TransportError(
                f"The mail server answered {exc.smtp_code}: {_server_text(exc.smtp_error)}"
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise TransportError("The mail server does not offer STARTTLS.") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"Could not reach the mail server: {_reason(exc)}") from exc

    def email_for(self, message: OutgoingMessage) -> EmailMessage:
        if message.channel is not Channel.EMAIL:
            raise TransportError("This transport only sends e-mail.", permanent=True)
        email = EmailMessage()
        email["From"] = Address(display_name=message.sender_name or "", addr_spec=self.sender)
        email["To"] = message.to
        email["Subject"] = message.subject or ""
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        email.set_content(message.body)
        if message.calendar is not None:
            email.add_attachment(
                message.calendar,
                maintype="text",
                subtype="calendar",
                filename="appointment.ics",
                params={"method": "REQUEST"},
            )
        return email


class HttpSmsGateway:
    """Text messages through an HTTP gateway: POST {"to": "+1...", "body": "..."} as JSON,
    with the token as a bearer token. Any answer other than 2xx is a failure."""

    channels = frozenset({Channel.SMS})

    def __init__(self, url: str, token: str | None = None, timeout: float = DEFAULT_TIMEOUT):
        self.url = url
        self._token = token
        self.timeout = timeout
        # No redirects: a POST turned into a GET would look delivered, and the token
        # must not follow the request to another host.
        self._opener = urllib.request.build_opener(_NoRedirects())

    def __repr__(self) -> str:
        return "HttpSmsGateway(...)"  # the URL may carry a key

    def send(self, message: OutgoingMessage) -> None:
        if message.channel is not Channel.SMS:
            raise TransportError("This gateway only sends text messages.", permanent=True)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        payload = json.dumps({"to": message.to, "body": message.body}).encode("utf-8")
        request = Request(self.url, data=payload, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise TransportError(
                f"The SMS gateway answered {exc.code} {exc.reason}.",
                # The gateway says the request itself is wrong (a bad number): sending it
                # again cannot help. Other answers may pass (overload, settings fixed).
                permanent=exc.code in (400, 422),
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TransportError(f"Could not reach the SMS gateway: {_reason(exc)}") from exc
        if not 200 <= status < 300:
            raise TransportError(f"The SMS gateway answered {status}.")


class ChannelTransports:
    """Several transports as one: each message goes to the transport for its channel."""

    def __init__(self, *transports: Transport) -> None:
        self._by_channel: Mapping[Channel, Transport] = {
            channel: transport for transport in transports for channel in transport.channels
        }

    @property
    def channels(self) -> frozenset[Channel]:
        return frozenset(self._by_channel)

    def send(self, message: OutgoingMessage) -> None:
        transport = self._by_channel.get(message.channel)
        if transport is None:
            raise TransportError(f"No gateway is set up for {message.channel.value}.")
        transport.send(message)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _codes(codes: list[int]) -> str:
    return ", ".join(str(code) for code in sorted(set(codes)))


def _server_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())[:200]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc.reason, str):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError):
        return "no answer in time."
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused."
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.rstrip(".") + "."
