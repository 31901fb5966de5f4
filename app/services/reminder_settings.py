"""The practice's reminder gateways: its mail server and its SMS gateway.

Kept as one practice setting (a JSON object) in the encrypted database. The password and
the token are read only to build a transport; screens get a view that says whether one is
set, never what it is, and audit entries name the setting, never its value.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Setting
from app.services.errors import DomainError
from app.services.reminder_transport import (
    ChannelTransports,
    HttpSmsGateway,
    SmtpTransport,
    Transport,
)

GATEWAYS_KEY = "reminder_gateways"
DEFAULT_SMTP_PORT = 587


@dataclass(frozen=True)
class GatewaySettings:
    """What the settings screen shows (no secrets)."""

    smtp_host: str | None = None
    smtp_port: int = DEFAULT_SMTP_PORT
    smtp_sender: str | None = None
    smtp_username: str | None = None
    smtp_starttls: bool = True
    sms_url: str | None = None
    has_smtp_password: bool = False
    has_sms_token: bool = False

    @property
    def email_ready(self) -> bool:
        return bool(self.smtp_host and self.smtp_sender)

    @property
    def sms_ready(self) -> bool:
        return bool(self.sms_url)


@dataclass(frozen=True)
class GatewaySettingsInput:
    smtp_host: str | None = None
    smtp_port: int = DEFAULT_SMTP_PORT
    smtp_sender: str | None = None
    smtp_username: str | None = None
    smtp_password: str | None = None  # None keeps the saved one; "" removes it
    smtp_starttls: bool = True
    sms_url: str | None = None
    sms_token: str | None = None  # None keeps the saved one; "" removes it


def read_gateways(session: Session) -> dict[str, Any]:
    """The stored settings, secrets included: for building transports only."""
    row = session.scalar(select(Setting).where(Setting.key == GATEWAYS_KEY))
    value = row.value if row is not None else None
    return dict(value) if isinstance(value, dict) else {}


def gateway_view(stored: dict[str, Any]) -> GatewaySettings:
    return GatewaySettings(
        smtp_host=stored.get("smtp_host"),
        smtp_port=int(stored.get("smtp_port") or DEFAULT_SMTP_PORT),
        smtp_sender=stored.get("smtp_sender"),
        smtp_username=stored.get("smtp_username"),
        smtp_starttls=bool(stored.get("smtp_starttls", True)),
        sms_url=stored.get("sms_url"),
        has_smtp_password=bool(stored.get("smtp_password")),
        has_sms_token=bool(stored.get("sms_token")),
    )


def validated_gateways(data: GatewaySettingsInput, saved: dict[str, Any]) -> dict[str, Any]:
    """The value to store, or DomainError naming the first problem."""
    host = _clean(data.smtp_host)
    sender = _clean(data.smtp_sender)
    username = _clean(data.smtp_username)
    password = saved.get("smtp_password") if data.smtp_password is None else data.smtp_password
    if host or sender:
        if not host:
            raise DomainError("Enter the mail server's name (for example smtp.example.com).")
        if not sender:
            raise DomainError("Enter the address reminders are sent from.")
        if not 1 <= data.smtp_port <= 65535:
            raise DomainError("The mail server's port must be between 1 and 65535.")
        try:
            sender = validate_email(sender, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise DomainError(f"The sender address is not valid: {exc}") from exc
        if username and password and not data.smtp_starttls and not _is_loopback(host):
            raise DomainError(
                "Turn on STARTTLS: without it the mail password would cross the network "
                "unencrypted."
            )
    url = _clean(data.sms_url)
    token = saved.get("sms_token") if data.sms_token is None else data.sms_token
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DomainError("The SMS gateway address must start with https://.")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise DomainError(
                "The SMS gateway address must start with https:// (patients' numbers and "
                "messages must not cross the network unencrypted)."
            )
    return {
        "smtp_host": host,
        "smtp_port": data.smtp_port,
        "smtp_sender": sender,
        "smtp_username": username,
        "smtp_password": password or None,
        "smtp_starttls": data.smtp_starttls,
        "sms_url": url,
        "sms_token": token or None,
    }


def write_gateways(session: Session, value: dict[str, Any]) -> str:
    """Store the settings; returns the setting row's id (for the audit entry)."""
    row = session.scalar(select(Setting).where(Setting.key == GATEWAYS_KEY))
    if row is None:
        row = Setting(key=GATEWAYS_KEY, value=value)
        session.add(row)
    else:
        row.value = value
    session.flush()
    return row.id


def transport_from(stored: dict[str, Any]) -> ChannelTransports:
    """Transports for the gateways that are set up (none: nothing can be sent yet)."""
    view = gateway_view(stored)
    transports: list[Transport] = []
    if view.email_ready:
        assert view.smtp_host and view.smtp_sender
        transports.append(
            SmtpTransport(
                view.smtp_host,
                view.smtp_port,
                view.smtp_sender,
                username=view.smtp_username,
                password=stored.get("smtp_password"),
                starttls=view.smtp_starttls,
            )
        )
    if view.sms_url:
        transports.append(HttpSmsGateway(view.sms_url, token=stored.get("sms_token")))
    return ChannelTransports(*transports)


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
