"""An imported file's summary in words a biller reads at a glance: what kind of file, what
happened to how many claims, the money, and what was skipped or needs looking at."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models import ClaimFileKind
from app.services.claim_import_data import ImportSummary
from app.ui.patients.labels import money_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("RemittanceText", text)


KIND_LABELS = {
    ClaimFileKind.ACK_999: _tr("acknowledgement (999)"),
    ClaimFileKind.ACK_277CA: _tr("claim acknowledgement (277CA)"),
    ClaimFileKind.REMIT_835: _tr("remittance (835)"),
    ClaimFileKind.CLAIMS_837P: _tr("claim batch (837P)"),
}
# ImportRun's outcome counts, in the order a biller wants them.
_OUTCOMES = (
    ("paid", _tr("paid")),
    ("partially_paid", _tr("partly paid")),
    ("denied", _tr("denied")),
    ("reversed", _tr("reversed")),
    ("accepted", _tr("accepted")),
    ("rejected", _tr("rejected")),
    ("received", _tr("received, not yet decided")),
    ("unchanged", _tr("already further along, unchanged")),
)


def claims_phrase(n: int) -> str:
    return _tr("1 claim") if n == 1 else _tr("{n} claims").format(n=n)


def summary_lines(summary: ImportSummary) -> list[str]:
    """The file's headline, then one line each for money, skips, review and problems."""
    counts = summary.counts
    outcomes = [
        f"{claims_phrase(counts[key])} {words}" for key, words in _OUTCOMES if counts.get(key)
    ]
    kind = KIND_LABELS.get(summary.kind, str(summary.kind))
    head = _tr("{name} — {kind}: {outcomes}.").format(
        name=summary.file_name,
        kind=kind,
        outcomes=", ".join(outcomes) or _tr("no claim changed"),
    )
    lines = [head]
    if summary.kind is ClaimFileKind.REMIT_835:
        money = [_tr("Insurance paid {amount}").format(amount=money_text(summary.paid_cents))]
        for cents, words in (
            (summary.adjusted_cents, _tr("adjusted {amount}")),
            (summary.patient_cents, _tr("moved to patients {amount}")),
            (summary.reversed_cents, _tr("reversed {amount}")),
        ):
            if cents:
                money.append(words.format(amount=money_text(cents)))
        lines.append("; ".join(money) + ".")
    if summary.skipped_payments:
        lines.append(
            _tr("Already imported, skipped: {payments}.").format(
                payments=", ".join(summary.skipped_payments)
            )
        )
    if summary.review:
        n = len(summary.review)
        words = _tr("1 item to review below.") if n == 1 else _tr("{n} items to review below.")
        lines.append(words.format(n=n))
    for problem in summary.problems:
        lines.append(_tr("Problem in the file: {problem}").format(problem=problem))
    return lines
