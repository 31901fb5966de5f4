"""Permission-table rows for claims (issue #7), and the helpers the claims tests share to
set a practice up for billing and put visits with charges on the books.

Every claims use case needs MANAGE_CLAIMS (claims carry PHI, so reads too): only the biller.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import select

from app.models import (
    Charge,
    Claim,
    ClaimStatus,
    Encounter,
    EncounterStatus,
    EncounterType,
    Location,
    Patient,
    Role,
    ScrubCheck,
    SexAtBirth,
    SubscriberRelationship,
)
from app.services.claim_data import BillingSetup, ScrubRuleInput
from app.services.claim_delivery import ClaimDeliveryService
from app.services.claim_device import ClaimDeviceSettings, FormOffset
from app.services.claim_imports import ClaimImportService
from app.services.claim_views import ClaimViewService
from app.services.claims import ClaimService
from app.services.claims_lifecycle import move
from app.services.claims_setup import ClaimSetupService
from app.services.context import AppContext
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from app.services.ledger import LedgerService
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.permissions import Permission
from app.terminology.identifiers import npi_check_digit
from tests.interop.x12_samples import ClaimAck, make_277ca
from tests.services.helpers import query, user_id
from tests.services.permission_cases_ledger import TODAY, make_charge
from tests.services.permission_table import Target, UseCase

BILLERS = frozenset({Role.BILLER})
PRACTICE_NPI = "123456789" + npi_check_digit("123456789")
SETUP = BillingSetup(
    npi=PRACTICE_NPI,
    tax_id="37-1234567",
    taxonomy_code="207Q00000X",
    billing_phone="(217) 555-0100",
    billing_contact="Grace Whitfield",
    clearinghouse_name="Clearing House Inc",
    submitter_id="STETHOS01",
    receiver_id="CLEARHOUSE",
)
SERVICE_DAY = date(2025, 12, 15)


# -- helpers the claims tests share -------------------------------------------------------


def set_up_billing(biller: AppContext) -> None:
    """The practice's NPI, tax id and clearinghouse, and its main office's address."""
    ClaimSetupService(biller).save_billing_setup(SETUP)
    with biller.unit_of_work() as uow:
        office = uow.session.scalars(select(Location).order_by(Location.created_at)).first()
        assert office is not None
        office.address_line1, office.city = "12 Harbor Street", "Springfield"
        office.state, office.postal_code = "IL", "62701-1234"


def insured_patient(
    desk: AppContext,
    last_name: str = "Claimant",
    relationship: SubscriberRelationship = SubscriberRelationship.SELF,
    payer_code: str = "ACME1",
) -> str:
    """A registered patient with an address and a primary coverage with `payer_code`."""
    dependent = relationship is not SubscriberRelationship.SELF
    patient = PatientService(desk).register(
        PatientInput(
            "Noah",
            last_name,
            date(2014, 2, 3) if relationship is SubscriberRelationship.CHILD else date(1975, 3, 14),
            SexAtBirth.MALE,
            address_line1="48 Elm Road",
            city="Springfield",
            state="IL",
            postal_code="62704",
            guarantor_name=f"Maria {last_name}" if dependent else None,
        ),
        confirm_not_duplicate=True,
    )
    payers = PayerService(desk)
    payer = next((p for p in payers.list_payers() if p.payer_code == payer_code), None)
    payer = payer or payers.add_payer(
        PayerInput(f"{payer_code} Health", payer_code, "PO Box 100", "Chicago", "IL", "60601")
    )
    CoverageService(desk).add(
        patient.id,
        CoverageInput(
            payer.id,
            1,
            "XJH123456789",
            relationship,
            group_number="GRP7788",
            subscriber_first_name="Maria" if dependent else None,
            subscriber_last_name=last_name if dependent else None,
            subscriber_date_of_birth=date(1980, 7, 14) if dependent else None,
        ),
    )
    return patient.id


def visit(
    biller: AppContext,
    patient_id: str,
    charges: tuple[tuple[str, int], ...] = (("99213", 12_500),),
    day: date = SERVICE_DAY,
    provider: str = "drpatel",
) -> tuple[str, list[str]]:
    """A signed visit with its charges posted to the ledger: (visit id, charge ids)."""
    with biller.unit_of_work() as uow:
        encounter = Encounter(
            patient_id=patient_id,
            provider_id=user_id(biller, provider),
            type=EncounterType.OFFICE_VISIT,
            starts_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC),
            status=EncounterStatus.SIGNED,
        )
        uow.session.add(encounter)
        uow.session.flush()
        encounter_id = encounter.id
    charge_ids = []
    for code, cents in charges:
        charge_id = make_charge(biller, patient_id, cents, service_on=day, code=code)
        with biller.unit_of_work() as uow:
            charge = uow.session.get(Charge, charge_id)
            assert charge is not None
            charge.encounter_id = encounter_id
            charge.diagnosis_codes = ["E11.9", "I10"]
            charge.diagnosis_pointers = [2, 1]
        LedgerService(biller).post_charge(charge_id)
        charge_ids.append(charge_id)
    return encounter_id, charge_ids


# -- preparing and calling the use cases ------------------------------------------------


def _draft(ctx: AppContext, t: Target) -> object:
    set_up_billing(ctx)
    with ctx.unit_of_work() as uow:  # the subscriber's address goes on the claim
        patient = uow.session.get(Patient, t.patient_id)
        assert patient is not None
        patient.address_line1, patient.city, patient.state = "9 Oak Lane", "Peoria", "IL"
        patient.postal_code = "61602"
    visit(ctx, t.patient_id)
    return ClaimService(ctx).build_ready()


def _claim_id(ctx: AppContext, status: str) -> str:
    rows = query(ctx, "SELECT id FROM claim WHERE status = ? ORDER BY rowid", status)
    assert rows, f"no {status} claim was prepared"
    return str(rows[-1]["id"])


def _ready(ctx: AppContext, t: Target) -> object:
    _draft(ctx, t)
    return ClaimService(ctx).mark_ready(_claim_id(ctx, "draft"))


def _submitted(ctx: AppContext, t: Target) -> object:
    _ready(ctx, t)
    with TemporaryDirectory() as folder:
        return ClaimService(ctx).submit_ready(Path(folder))


def _accepted(ctx: AppContext, t: Target) -> object:
    _submitted(ctx, t)
    return ClaimService(ctx).accept(_claim_id(ctx, "submitted"), "PCN-1")


def _rejected(ctx: AppContext, t: Target) -> object:
    _submitted(ctx, t)
    return ClaimService(ctx).reject(_claim_id(ctx, "submitted"), "Member id not found")


def _denied(ctx: AppContext, t: Target) -> object:
    """A claim the payer denied (as the 835 import would record it)."""
    _accepted(ctx, t)
    with ctx.unit_of_work() as uow:
        claim = uow.session.get(Claim, _claim_id(ctx, "accepted"))
        assert claim is not None
        move(uow, claim, ClaimStatus.DENIED, "CO-16 claim lacks information")
    return None


def _submit(ctx: AppContext, t: Target) -> object:
    with TemporaryDirectory() as folder:
        return ClaimService(ctx).submit_ready(Path(folder))


_RULE = ScrubRuleInput(
    "Group number needed", "subscriber.group_number", ScrubCheck.REQUIRED, message="Add it."
)


def _rule(ctx: AppContext, t: Target) -> object:
    return ClaimSetupService(ctx).save_rule(None, _RULE)


def _rule_id(ctx: AppContext) -> str:
    return str(query(ctx, "SELECT id FROM scrub_rule ORDER BY rowid")[-1]["id"])


class _DeliveryDone:
    """A clearinghouse transport that takes every file."""

    name = "test clearinghouse"

    def send(self, file_name: str, data: bytes) -> None:
        pass


def _case(name: str, call: object, prepare: object = None, *, audited: bool = True) -> UseCase:
    return UseCase(
        name,
        Permission.MANAGE_CLAIMS,
        BILLERS,
        call,  # type: ignore[arg-type]
        prepare=prepare,  # type: ignore[arg-type]
        audited=audited,
        prepare_as="billing",
    )


CASES = [
    _case("ClaimService.build_ready", lambda c, t: ClaimService(c).build_ready()),
    _case("ClaimService.claims", lambda c, t: ClaimService(c).claims(), _draft),
    _case("ClaimService.claim", lambda c, t: ClaimService(c).claim(_claim_id(c, "draft")), _draft),
    _case(
        "ClaimService.document",
        lambda c, t: ClaimService(c).document(_claim_id(c, "draft")),
        _draft,
    ),
    _case("ClaimService.check", lambda c, t: ClaimService(c).check(_claim_id(c, "draft")), _draft),
    _case(
        "ClaimService.mark_ready",
        lambda c, t: ClaimService(c).mark_ready(_claim_id(c, "draft")),
        _draft,
    ),
    _case(
        "ClaimService.return_to_draft",
        lambda c, t: ClaimService(c).return_to_draft(_claim_id(c, "ready")),
        _ready,
    ),
    _case("ClaimService.submit_ready", _submit, _ready),
    _case(
        "ClaimService.accept",
        lambda c, t: ClaimService(c).accept(_claim_id(c, "submitted"), "PCN-9"),
        _submitted,
    ),
    _case(
        "ClaimService.reject",
        lambda c, t: ClaimService(c).reject(_claim_id(c, "submitted"), "Bad member id"),
        _submitted,
    ),
    _case(
        "ClaimService.correct",
        lambda c, t: ClaimService(c).correct(_claim_id(c, "accepted")),
        _accepted,
    ),
    _case(
        "ClaimService.void", lambda c, t: ClaimService(c).void(_claim_id(c, "accepted")), _accepted
    ),
    _case(
        "ClaimService.appeal",
        lambda c, t: ClaimService(c).appeal(_claim_id(c, "denied"), "Records attached"),
        _denied,
    ),
    _case(
        "ClaimService.close",
        lambda c, t: ClaimService(c).close(_claim_id(c, "rejected")),
        _rejected,
    ),
    _case("ClaimService.denials", lambda c, t: ClaimService(c).denials(), _rejected),
    _case(
        "ClaimService.assign",
        lambda c, t: ClaimService(c).assign(_claim_id(c, "rejected"), None, "Call payer", TODAY),
        _rejected,
    ),
    _case("ClaimSetupService.billing_setup", lambda c, t: ClaimSetupService(c).billing_setup()),
    _case("ClaimSetupService.save_billing_setup", lambda c, t: set_up_billing(c)),
    _case(
        "ClaimSetupService.set_payer_claim_rules",
        lambda c, t: ClaimSetupService(c).set_payer_claim_rules(t.payer_id, 90, "MB"),
    ),
    _case(
        "ClaimImportService.import_file",
        lambda c, t: ClaimImportService(c).import_file(make_277ca(ClaimAck("C-X")), "a.277"),
    ),
    _case("ClaimImportService.review_items", lambda c, t: ClaimImportService(c).review_items()),
    _case("ClaimSetupService.rules", lambda c, t: ClaimSetupService(c).rules(), _rule),
    _case("ClaimSetupService.save_rule", _rule),
    _case(
        "ClaimSetupService.remove_rule",
        lambda c, t: ClaimSetupService(c).remove_rule(_rule_id(c)),
        _rule,
    ),
    _case("ClaimViewService.owners", lambda c, t: ClaimViewService(c).owners()),
    # Batch file names name no patient: listing them is not audited.
    _case(
        "ClaimDeliveryService.waiting",
        lambda c, t: ClaimDeliveryService(c).waiting(),
        audited=False,
    ),
    _case(
        "ClaimDeliveryService.deliver_waiting",
        lambda c, t: ClaimDeliveryService(c).deliver_waiting(_DeliveryDone()),
        audited=False,  # nothing waits in this practice: nothing is sent, nothing to audit
    ),
    # This machine's settings name no patient: reading them is not audited.
    _case(
        "ClaimDeviceSettings.outbox_folder",
        lambda c, t: ClaimDeviceSettings(c).outbox_folder(),
        audited=False,
    ),
    _case(
        "ClaimDeviceSettings.set_outbox_folder",
        lambda c, t: ClaimDeviceSettings(c).set_outbox_folder(None),
    ),
    _case(
        "ClaimDeviceSettings.clearinghouse_folder",
        lambda c, t: ClaimDeviceSettings(c).clearinghouse_folder(),
        audited=False,
    ),
    _case(
        "ClaimDeviceSettings.set_clearinghouse_folder",
        lambda c, t: ClaimDeviceSettings(c).set_clearinghouse_folder(None),
    ),
    _case(
        "ClaimDeviceSettings.form_offset",
        lambda c, t: ClaimDeviceSettings(c).form_offset(),
        audited=False,
    ),
    _case(
        "ClaimDeviceSettings.set_form_offset",
        lambda c, t: ClaimDeviceSettings(c).set_form_offset(FormOffset(1.0, -0.5)),
    ),
]
SERVICES: list[type] = [
    ClaimService,
    ClaimSetupService,
    ClaimImportService,
    ClaimDeviceSettings,
    ClaimViewService,
    ClaimDeliveryService,
]
