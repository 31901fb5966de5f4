"""What posting one 835 remittance reads, loaded up front: its claims by control number,
their lines, the lines' charges and open balances, and the patients' coverages. A few
queries (ids chunked under SQLite's parameter limit) for a whole trace instead of several
per claim, so the posting itself asks no query and runs without an autoflush per claim."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.interop.x12_835 import Remittance
from app.models import Charge, Claim, ClaimLine, Coverage
from app.services.claim_secondary import patient_coverages
from app.services.ledger_posting import ChargeBalances, id_chunks


@dataclass
class RemittanceData:
    claims: dict[str, Claim]  # by control number (CLP01 = our CLM01)
    lines: dict[str, list[ClaimLine]]  # by claim id, in line order, removed lines left out
    charges: dict[str, Charge]
    coverages: dict[str, list[Coverage]]  # by patient id, removed ones too
    balances: ChargeBalances = field(repr=False)


def load_remittance_data(session: Session, remittance: Remittance) -> RemittanceData:
    claims: dict[str, Claim] = {}
    controls = {p.patient_control_number for p in remittance.claims}
    for chunk in id_chunks(controls):
        found = session.scalars(
            select(Claim).where(Claim.control_number.in_(chunk), Claim.deleted_at.is_(None))
        )
        for claim in found:
            claims.setdefault(claim.control_number, claim)
    lines: dict[str, list[ClaimLine]] = {}
    for chunk in id_chunks(claim.id for claim in claims.values()):
        found_lines = session.scalars(
            select(ClaimLine)
            .where(ClaimLine.claim_id.in_(chunk), ClaimLine.deleted_at.is_(None))
            .order_by(ClaimLine.claim_id, ClaimLine.line_number)
        )
        for line in found_lines:
            lines.setdefault(line.claim_id, []).append(line)
    charge_ids = [line.charge_id for claim_lines in lines.values() for line in claim_lines]
    charges: dict[str, Charge] = {}
    for chunk in id_chunks(charge_ids):
        for charge in session.scalars(select(Charge).where(Charge.id.in_(chunk))):
            charges[charge.id] = charge
    return RemittanceData(
        claims=claims,
        lines=lines,
        charges=charges,
        coverages=patient_coverages(session, {claim.patient_id for claim in claims.values()}),
        balances=ChargeBalances(session, charge_ids),
    )
