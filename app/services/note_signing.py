"""Signing notes: sign (locks the content under a SHA-256 hash), co-sign, addenda, and
"entered in error". The use cases of NoteService that act on a finished note."""

from __future__ import annotations

from sqlalchemy import select

from app.models import (
    ClinicalNote,
    Encounter,
    EncounterStatus,
    EncounterType,
    NoteAddendum,
    NoteKind,
    NoteStatus,
    Patient,
)
from app.services import chart_common
from app.services.audit_chain import AuditEntry
from app.services.bus import ChartChanged
from app.services.charge_proposal import propose_charges
from app.services.context import Actor, AppContext, UnitOfWork, requires
from app.services.errors import ConcurrentChange, DomainError
from app.services.fee_schedules import NoFeeSchedule
from app.services.note_data import LOCKED_MESSAGE, LOCKED_STATUSES, CosignItem, NoteView
from app.services.note_records import (
    active_physician,
    addendum_hash,
    audit_refusals,
    content_hash,
    load_note,
    note_intact,
    note_rows,
    note_view,
    refuse,
    section_from_stored,
)
from app.services.permissions import Permission

CATEGORY = "note"
MAX_ADDENDUM = 20_000
STALE_DRAFT = (
    "This note was saved from another window or computer since you opened it. Nothing was "
    "saved; reload the note to carry on from the latest text."
)


def refuse_if_locked(note: ClinicalNote) -> None:
    if note.status is NoteStatus.ENTERED_IN_ERROR:
        raise DomainError("This note was entered in error; it can no longer change.")
    # A signature or hash also locks: a status set back to "draft" behind our back does not
    # reopen a signed note.
    if note.status in LOCKED_STATUSES or note.signed_at or note.content_hash:
        raise DomainError(LOCKED_MESSAGE)


def closes_encounter(kind: NoteKind, visit: EncounterType) -> bool:
    """Whose signature closes a visit: the doctor's note, or for a nursing visit (a shot, a
    blood-pressure check) the nurse's note as well."""
    return kind is NoteKind.DOCTOR or (
        kind is NoteKind.NURSING and visit is EncounterType.NURSING_VISIT
    )


class NoteSigning:
    """Sign, co-sign, addenda and entered-in-error (mixed into NoteService)."""

    ctx: AppContext

    @requires(Permission.EDIT_CHART)
    @audit_refusals
    def sign(self, note_id: str, expected_version: int, cosigner_id: str | None = None) -> NoteView:
        """The author signs: the content is locked under its hash. Naming a co-signer (an
        active physician other than the author) leaves the note awaiting co-signature;
        the content is locked either way. Signing the closing note of an open encounter
        signs the encounter. A doctor's note needs a physician (SIGN_NOTES)."""
        with self.ctx.unit_of_work() as uow:
            actor = self._actor()
            note = load_note(uow.session, note_id)
            refuse_if_locked(note)
            if note.author_id != actor.user_id:
                raise refuse(note, "Only the note's author can sign it.")
            if note.kind is NoteKind.DOCTOR and not actor.can(Permission.SIGN_NOTES):
                raise refuse(
                    note,
                    "Only a physician can sign a doctor's note.",
                    category=Permission.SIGN_NOTES.value,
                )
            if note.version != expected_version:
                raise ConcurrentChange(STALE_DRAFT)
            if all(section_from_stored(s).is_empty for s in note.sections or ()):
                raise DomainError("This note is empty; write it before signing.")
            if cosigner_id is not None:
                cosigner = active_physician(uow.session, cosigner_id, "co-signer")
                if cosigner.id == note.author_id:
                    raise DomainError("Choose a physician other than the author to co-sign.")
                note.cosigner_id = cosigner.id
                note.status = NoteStatus.AWAITING_COSIGN
            else:
                note.status = NoteStatus.SIGNED
            note.signed_at = self.ctx.clock.now()
            note.signed_by_id = actor.user_id
            note.content_hash = content_hash(note)
            uow.session.flush()
            detail = "sent for co-signature" if cosigner_id else None
            uow.audit(self._entry("sign", note, detail))
            if note.status is NoteStatus.SIGNED:
                self._sign_encounter(uow, note, actor)
            uow.notify(ChartChanged((note.patient_id,)))
            return note_view(uow.session, note)

    @requires(Permission.SIGN_NOTES)
    @audit_refusals
    def cosign(self, note_id: str) -> NoteView:
        """The physician named at signing co-signs (nobody else may: the author chose them)."""
        with self.ctx.unit_of_work() as uow:
            actor = self._actor()
            note = load_note(uow.session, note_id)
            if note.status is not NoteStatus.AWAITING_COSIGN:
                raise DomainError("This note is not waiting for a co-signature.")
            if note.cosigner_id != actor.user_id:
                raise refuse(note, "Only the physician the author named can co-sign this note.")
            if not note_intact(note):
                raise DomainError(
                    "This note no longer matches what its author signed; it cannot be "
                    "co-signed. Tell the practice's administrator."
                )
            note.status = NoteStatus.SIGNED
            note.cosigned_at = self.ctx.clock.now()
            uow.session.flush()
            uow.audit(self._entry("cosign", note))
            self._sign_encounter(uow, note, actor)
            uow.notify(ChartChanged((note.patient_id,)))
            return note_view(uow.session, note)

    @requires(Permission.SIGN_NOTES)
    def awaiting_cosign(self) -> list[CosignItem]:
        """Notes waiting for the signed-in physician's co-signature, oldest first, with whose
        chart each is in."""
        with self.ctx.unit_of_work() as uow:
            actor = self._actor()
            notes = list(
                uow.session.scalars(
                    select(ClinicalNote)
                    .where(
                        ClinicalNote.status == NoteStatus.AWAITING_COSIGN,
                        ClinicalNote.cosigner_id == actor.user_id,
                        ClinicalNote.deleted_at.is_(None),
                    )
                    .order_by(ClinicalNote.signed_at, ClinicalNote.id)
                )
            )
            patients = sorted({n.patient_id for n in notes})
            for patient_id in patients:
                uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail="to co-sign"))
            if not patients:
                uow.audit(AuditEntry("read", CATEGORY, detail="to co-sign: none"))
            people = {
                row.id: (f"{row.last_name}, {row.first_name}", row.mrn)
                for row in uow.session.execute(
                    select(Patient.id, Patient.last_name, Patient.first_name, Patient.mrn).where(
                        Patient.id.in_(patients)
                    )
                )
            }
            return [
                CosignItem(row, *people[row.patient_id]) for row in note_rows(uow.session, notes)
            ]

    @requires(Permission.EDIT_CHART)
    def add_addendum(self, note_id: str, text: str) -> NoteView:
        """Text added to a signed note, signed as it is saved (with its own hash)."""
        body = text.strip()
        if not body:
            raise DomainError("Write the addendum before saving it.")
        if len(body) > MAX_ADDENDUM:
            raise DomainError(f"Keep an addendum under {MAX_ADDENDUM:,} characters.")
        with self.ctx.unit_of_work() as uow:
            actor = self._actor()
            note = load_note(uow.session, note_id)
            if note.status is NoteStatus.DRAFT:
                raise DomainError("This note is not signed yet: edit the draft instead.")
            if note.status is NoteStatus.ENTERED_IN_ERROR:
                raise DomainError("This note was entered in error; it takes no addenda.")
            addendum = NoteAddendum(
                note_id=note.id,
                author_id=actor.user_id,
                text=body,
                signed_at=self.ctx.clock.now(),
            )
            addendum.content_hash = addendum_hash(addendum)
            uow.session.add(addendum)
            uow.session.flush()
            uow.audit(self._entry("addendum", note, f"addendum {addendum.id}"))
            uow.notify(ChartChanged((note.patient_id,)))
            return note_view(uow.session, note)

    @requires(Permission.EDIT_CHART)
    @audit_refusals
    def mark_entered_in_error(self, note_id: str, reason: str) -> NoteView:
        """A signed note written on the wrong patient or by mistake: it stays, struck
        through, with the reason. Its author or any physician may do it. If it was what
        signed its encounter, the encounter opens again for the right note."""
        with self.ctx.unit_of_work() as uow:
            actor = self._actor()
            note = load_note(uow.session, note_id)
            if note.status is NoteStatus.DRAFT:
                raise DomainError("A draft was never signed: discard it instead.")
            if note.author_id != actor.user_id and not actor.can(Permission.SIGN_NOTES):
                raise refuse(
                    note, "Only the note's author or a physician can mark it entered in error."
                )
            chart_common.mark_entered_in_error(uow, note, reason, "note")
            note.status = NoteStatus.ENTERED_IN_ERROR
            uow.session.flush()
            uow.audit(self._entry("entered_in_error", note))
            self._reopen_encounter(uow, note)
            uow.notify(ChartChanged((note.patient_id,)))
            return note_view(uow.session, note)

    # --- helpers ---------------------------------------------------------------------------

    def _actor(self) -> Actor:
        actor = self.ctx.actor
        assert actor is not None  # @requires let us in
        return actor

    @staticmethod
    def _entry(action: str, note: ClinicalNote, detail: str | None = None) -> AuditEntry:
        return AuditEntry(
            action, CATEGORY, patient_id=note.patient_id, entity_id=note.id, detail=detail
        )

    def _sign_encounter(self, uow: UnitOfWork, note: ClinicalNote, actor: Actor) -> None:
        """The visit's closing note, signed, closes its open encounter (billing starts there)."""
        if note.encounter_id is None:
            return
        encounter = uow.session.get(Encounter, note.encounter_id)
        if encounter is None or encounter.status is not EncounterStatus.OPEN:
            return
        if not closes_encounter(note.kind, encounter.type):
            return
        encounter.status = EncounterStatus.SIGNED
        encounter.signed_at = self.ctx.clock.now()
        encounter.signed_by_id = actor.user_id
        uow.session.flush()
        uow.audit(
            AuditEntry(
                "sign",
                "encounter",
                patient_id=encounter.patient_id,
                entity_id=encounter.id,
                detail=f"by note {note.id}",
            )
        )
        _propose_charges(uow, encounter)

    def _reopen_encounter(self, uow: UnitOfWork, note: ClinicalNote) -> None:
        if note.encounter_id is None:
            return
        encounter = uow.session.get(Encounter, note.encounter_id)
        if encounter is None or encounter.status is not EncounterStatus.SIGNED:
            return
        if not closes_encounter(note.kind, encounter.type):
            return
        closing = [kind for kind in NoteKind if closes_encounter(kind, encounter.type)]
        still_signed = uow.session.scalar(
            select(ClinicalNote.id).where(
                ClinicalNote.encounter_id == encounter.id,
                ClinicalNote.kind.in_(closing),
                ClinicalNote.status == NoteStatus.SIGNED,
                ClinicalNote.deleted_at.is_(None),
            )
        )
        if still_signed:
            return
        encounter.status = EncounterStatus.OPEN
        encounter.signed_at = None
        encounter.signed_by_id = None
        uow.session.flush()
        uow.audit(
            AuditEntry(
                "update",
                "encounter",
                patient_id=encounter.patient_id,
                entity_id=encounter.id,
                detail="reopened: its signed note was entered in error",
            )
        )


def _propose_charges(uow: UnitOfWork, encounter: Encounter) -> None:
    """Signing produces the visit's charges for the biller to confirm (DESIGN: "signing the
    encounter produces charges"). A practice that has no fee schedule yet still signs: the
    visit waits in the biller's "visits to bill" until it can be priced."""
    if encounter.type is EncounterType.PHONE:
        return
    try:
        with uow.session.begin_nested():
            propose_charges(uow, encounter)
    except NoFeeSchedule:
        return
