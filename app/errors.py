"""The one error every layer may raise for the person at the screen (services, code sets,
formats). Its message is written for them; `app.services.errors` adds the specific kinds."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the practice was broken; nothing was saved. `str(err)` is for the user."""
