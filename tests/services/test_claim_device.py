"""This machine's claim settings: the outbox folder and the CMS-1500 printer offset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.claim_device import ClaimDeviceSettings, FormOffset
from app.services.context import AppContext
from app.services.errors import DomainError


@pytest.fixture
def settings(login: Callable[[str], AppContext]) -> ClaimDeviceSettings:
    return ClaimDeviceSettings(login("billing"))


def test_the_outbox_is_the_default_until_the_biller_chooses_an_existing_folder(
    settings: ClaimDeviceSettings, tmp_path: Path
) -> None:
    assert settings.outbox_folder() is None
    settings.set_outbox_folder(tmp_path)
    assert settings.outbox_folder() == tmp_path

    with pytest.raises(DomainError, match="There is no folder"):
        settings.set_outbox_folder(tmp_path / "typo")
    assert settings.outbox_folder() == tmp_path  # unchanged

    settings.set_outbox_folder(None)
    assert settings.outbox_folder() is None


def test_the_printer_offset_is_kept_in_tenths_of_a_millimetre_within_a_centimetre(
    settings: ClaimDeviceSettings,
) -> None:
    assert settings.form_offset() == FormOffset(0.0, 0.0)
    assert settings.set_form_offset(FormOffset(1.26, -2.0)) == FormOffset(1.3, -2.0)
    assert settings.form_offset() == FormOffset(1.3, -2.0)

    with pytest.raises(DomainError, match="within ±10 mm"):
        settings.set_form_offset(FormOffset(12.0, 0.0))
    with pytest.raises(DomainError):
        settings.set_form_offset(FormOffset(float("nan"), 0.0))
    assert settings.form_offset() == FormOffset(1.3, -2.0)


def test_the_clearinghouse_folder_is_optional_and_must_exist(
    settings: ClaimDeviceSettings, tmp_path: Path
) -> None:
    assert settings.clearinghouse_folder() is None
    with pytest.raises(DomainError, match="There is no folder"):
        settings.set_clearinghouse_folder(tmp_path / "not-mounted")
    settings.set_clearinghouse_folder(tmp_path)
    assert settings.clearinghouse_folder() == tmp_path
    assert settings.outbox_folder() is None  # a setting of its own
    settings.set_clearinghouse_folder(None)
    assert settings.clearinghouse_folder() is None
