"""Key slots (DESIGN §2): the database key is stored only wrapped, once per person."""

from __future__ import annotations

import base64
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.storage.keyslots import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    RECOVERY_ALPHABET,
    RECOVERY_SLOT,
    AccountLocked,
    KdfParams,
    KeySlotFile,
    SlotError,
    UnknownUser,
    WrongSecret,
    new_database_key,
    new_recovery_code,
    normalise_recovery_code,
    unwrap_key,
    wrap_key,
)

FAST = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)
ALICE_PASSWORD = "correct horse battery"
BOB_PASSWORD = "purple monkey dishwasher"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def key() -> bytes:
    return new_database_key()


@pytest.fixture
def slot_file(tmp_path: Path, key: bytes) -> KeySlotFile:
    """A saved slot file with two people and a recovery code."""
    slots = KeySlotFile(tmp_path / "keyslots.json")
    slots.set_slot("alice", ALICE_PASSWORD, key, FAST)
    slots.set_slot("bob", BOB_PASSWORD, key, FAST)
    slots.set_slot(RECOVERY_SLOT, "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789", key, FAST)
    slots.save()
    return KeySlotFile.load(slots.path)


# -- wrapping --------------------------------------------------------------------------


def test_wrap_then_unwrap_gives_back_the_same_key(key: bytes) -> None:
    slot = wrap_key("alice", ALICE_PASSWORD, key, FAST)
    assert unwrap_key(slot, ALICE_PASSWORD) == key
    assert slot.wrapped != key and key not in slot.wrapped


def test_each_wrap_uses_fresh_salt_and_nonce(key: bytes) -> None:
    one = wrap_key("alice", ALICE_PASSWORD, key, FAST)
    two = wrap_key("alice", ALICE_PASSWORD, key, FAST)
    assert one.salt != two.salt
    assert one.nonce != two.nonce
    assert one.wrapped != two.wrapped


def test_wrong_password_raises_wrong_secret(key: bytes) -> None:
    slot = wrap_key("alice", ALICE_PASSWORD, key, FAST)
    with pytest.raises(WrongSecret):
        unwrap_key(slot, "correct horse battery!")


def test_a_slot_survives_saving_and_loading(slot_file: KeySlotFile, key: bytes) -> None:
    assert slot_file.user_names() == ["alice", "bob"]
    assert slot_file.open_with_password("alice", ALICE_PASSWORD, T0) == key
    assert slot_file.open_with_password("bob", BOB_PASSWORD, T0) == key


def test_a_slot_copied_under_another_name_does_not_open(slot_file: KeySlotFile) -> None:
    """Bob edits the file, puts a copy of his own slot under "alice": his password must fail.

    The slot's name is bound into the AES-GCM tag, so the copy does not authenticate.
    """
    raw = json.loads(slot_file.path.read_text("utf-8"))
    bob_slot = next(s for s in raw["slots"] if s["name"] == "bob")
    raw["slots"] = [s for s in raw["slots"] if s["name"] != "alice"]
    raw["slots"].append({**bob_slot, "name": "alice"})
    slot_file.path.write_text(json.dumps(raw), "utf-8")

    forged = KeySlotFile.load(slot_file.path)
    with pytest.raises(WrongSecret):
        forged.open_with_password("alice", BOB_PASSWORD, T0)


def test_an_unknown_user_gets_the_same_message_as_a_wrong_password(
    slot_file: KeySlotFile,
) -> None:
    with pytest.raises(UnknownUser) as unknown:
        slot_file.open_with_password("mallory", ALICE_PASSWORD, T0)
    with pytest.raises(WrongSecret) as wrong:
        slot_file.open_with_password("alice", "not the password", T0)
    assert str(unknown.value) == str(wrong.value)  # no hint about which user names exist


def test_the_recovery_slot_cannot_be_opened_as_a_user(slot_file: KeySlotFile) -> None:
    with pytest.raises(UnknownUser):
        slot_file.open_with_password(RECOVERY_SLOT, "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789", T0)


# -- recovery code ---------------------------------------------------------------------


def test_new_recovery_codes_are_six_groups_of_readable_symbols() -> None:
    code = new_recovery_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [5] * 6
    assert set(code.replace("-", "")) <= set(RECOVERY_ALPHABET)
    assert not set("0O1IL") & set(code)
    assert new_recovery_code() != code


@pytest.mark.parametrize(
    "typed",
    [
        "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789",
        "abcde-fghjk-mnpqr-stvwx-yz234-56789",
        "ABCDE FGHJK MNPQR STVWX YZ234 56789",
        "ABCDEFGHJKMNPQRSTVWXYZ23456789",
        "  abcde fghjk-mnpqrstvwx yz234  56789 \n",
    ],
)
def test_recovery_code_is_accepted_as_people_type_it(
    slot_file: KeySlotFile, key: bytes, typed: str
) -> None:
    assert normalise_recovery_code(typed) == "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789"
    assert slot_file.open_with_recovery_code(typed) == key


def test_a_wrong_recovery_code_is_refused(slot_file: KeySlotFile) -> None:
    with pytest.raises(WrongSecret, match="recovery code"):
        slot_file.open_with_recovery_code("ABCDE-FGHJK-MNPQR-STVWX-YZ234-56788")


def test_a_file_without_a_recovery_slot_says_so(tmp_path: Path, key: bytes) -> None:
    slots = KeySlotFile(tmp_path / "keyslots.json")
    slots.set_slot("alice", ALICE_PASSWORD, key, FAST)
    with pytest.raises(SlotError, match="no recovery slot"):
        slots.open_with_recovery_code("ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789")


# -- lockout ---------------------------------------------------------------------------


def _fail(slots: KeySlotFile, times: int, at: datetime) -> None:
    for _ in range(times):
        with pytest.raises(WrongSecret):
            slots.open_with_password("alice", "wrong password", at)


def test_five_failures_lock_the_account_for_fifteen_minutes(
    slot_file: KeySlotFile, key: bytes
) -> None:
    assert MAX_FAILED_LOGINS == 5 and timedelta(minutes=15) == LOCKOUT
    _fail(slot_file, 4, T0)
    with pytest.raises(AccountLocked) as locked:
        slot_file.open_with_password("alice", "wrong password", T0 + timedelta(seconds=30))
    assert locked.value.until == T0 + timedelta(seconds=30) + LOCKOUT

    # The right password is refused while locked, and the lock survives a reload
    # (every sign-in loads the file afresh).
    slot_file.save()
    reloaded = KeySlotFile.load(slot_file.path)
    unlocks_at = locked.value.until
    with pytest.raises(AccountLocked):
        reloaded.open_with_password("alice", ALICE_PASSWORD, unlocks_at - timedelta(seconds=1))

    # Other people are not affected.
    assert reloaded.open_with_password("bob", BOB_PASSWORD, T0) == key

    # When the 15 minutes have passed, the right password works again.
    assert reloaded.open_with_password("alice", ALICE_PASSWORD, unlocks_at) == key


def test_after_a_lock_expires_the_count_starts_again(slot_file: KeySlotFile, key: bytes) -> None:
    _fail(slot_file, 4, T0)
    with pytest.raises(AccountLocked):
        slot_file.open_with_password("alice", "wrong password", T0)
    later = T0 + LOCKOUT + timedelta(minutes=1)
    _fail(slot_file, 4, later)  # four more wrong ones do not lock at once
    assert slot_file.open_with_password("alice", ALICE_PASSWORD, later) == key


def test_a_successful_sign_in_resets_the_failure_count(slot_file: KeySlotFile, key: bytes) -> None:
    _fail(slot_file, 4, T0)
    assert slot_file.open_with_password("alice", ALICE_PASSWORD, T0) == key
    _fail(slot_file, 4, T0)  # would have been the 5th..8th failure without the reset
    assert slot_file.open_with_password("alice", ALICE_PASSWORD, T0) == key
    slot_file.save()
    assert "alice" not in json.loads(slot_file.path.read_text("utf-8"))["failures"]


def test_a_first_step_success_can_leave_the_count_to_the_caller(
    slot_file: KeySlotFile, key: bytes
) -> None:
    """Sign-in with a second factor: the right password alone does not reset the count."""
    _fail(slot_file, 4, T0)
    assert slot_file.open_with_password("alice", ALICE_PASSWORD, T0, reset_failures=False) == key
    assert slot_file.failures["alice"].count == 4
    with pytest.raises(AccountLocked):
        slot_file.open_with_password("alice", "wrong password", T0)


def test_failures_and_the_lock_are_kept_as_pending_security_events(
    slot_file: KeySlotFile,
) -> None:
    _fail(slot_file, 4, T0)
    with pytest.raises(AccountLocked):
        slot_file.open_with_password("alice", "wrong password", T0)
    slot_file.save()
    reloaded = KeySlotFile.load(slot_file.path)
    events = reloaded.take_pending_events()
    assert [e["event"] for e in events] == ["login_failed"] * 5 + ["account_locked"]
    assert {e["user"] for e in events} == {"alice"}
    assert reloaded.take_pending_events() == []


def test_removing_a_slot_removes_its_failures(slot_file: KeySlotFile) -> None:
    _fail(slot_file, 2, T0)
    slot_file.remove_slot("alice")
    assert not slot_file.has_slot("alice")
    assert "alice" not in slot_file.failures
    with pytest.raises(UnknownUser):
        slot_file.open_with_password("alice", ALICE_PASSWORD, T0)


# -- the file on disk ------------------------------------------------------------------


def test_the_slot_file_is_private_and_holds_no_key_in_the_clear(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "keyslots.json"
    path.write_text("{}")
    path.chmod(0o644)  # an older, too-open file is replaced by a private one
    slots = KeySlotFile(path)
    slots.set_slot("alice", ALICE_PASSWORD, key, FAST)
    slots.set_slot(RECOVERY_SLOT, "ABCDE-FGHJK-MNPQR-STVWX-YZ234-56789", key, FAST)
    slots.save()

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = path.read_bytes()
    text = data.decode("utf-8").lower()
    assert key not in data
    assert key.hex() not in text
    assert base64.b64encode(key).decode().lower() not in text
    assert base64.urlsafe_b64encode(key).decode().lower() not in text
    assert ALICE_PASSWORD not in text
    assert "abcde-fghjk" not in text and "abcdefghjk" not in text
    # No stray temp files are left beside it.
    assert [p.name for p in tmp_path.iterdir()] == ["keyslots.json"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b"null",
        b'{"format": 1}',
        b'{"format": 1, "slots": [{"name": "alice"}]}',
        b'{"format": 1, "slots": "alice"}',
        b'{"format": 1, "slots": [{"name": "a", "salt": "%%%", "nonce": "", "wrapped": "",'
        b' "kdf": {"alg": "argon2id", "t": 1, "m": 8, "p": 1}}]}',
        b'{"format": 1, "slots": [{"name": "a", "salt": "", "nonce": "", "wrapped": "",'
        b' "kdf": "argon2id"}]}',
        b'{"format": 1, "slots": [], "failures": {"alice": {"count": 1, "locked_until": "soon"}}}',
    ],
)
def test_a_damaged_slot_file_gives_a_clear_slot_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "keyslots.json"
    path.write_bytes(content)
    with pytest.raises(SlotError) as error:
        KeySlotFile.load(path)
    assert "keyslots.json" in str(error.value)
    assert "damaged" in str(error.value)


def test_a_missing_slot_file_gives_a_clear_slot_error(tmp_path: Path) -> None:
    with pytest.raises(SlotError, match="No practice key file"):
        KeySlotFile.load(tmp_path / "keyslots.json")


def test_a_slot_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keyslots.json"
    path.write_text(json.dumps({"format": 99, "slots": []}))
    with pytest.raises(SlotError, match="newer"):
        KeySlotFile.load(path)


def test_a_tampered_ciphertext_reads_as_a_wrong_password(slot_file: KeySlotFile) -> None:
    raw = json.loads(slot_file.path.read_text("utf-8"))
    alice = next(s for s in raw["slots"] if s["name"] == "alice")
    wrapped = bytearray(base64.b64decode(alice["wrapped"]))
    wrapped[0] ^= 1
    alice["wrapped"] = base64.b64encode(bytes(wrapped)).decode()
    slot_file.path.write_text(json.dumps(raw), "utf-8")
    with pytest.raises(WrongSecret):
        KeySlotFile.load(slot_file.path).open_with_password("alice", ALICE_PASSWORD, T0)
