"""The claims screens' words: a payer's codes read as reasons, and each scrubber finding
says where in Stethos to fix it."""

from __future__ import annotations

from app.services.claim_rules import ScrubProblem, Severity
from app.ui.billing.claim_problems import problem_text, where_to_fix
from app.ui.billing.claim_reasons import reason_text


def test_known_adjustment_codes_read_as_words_with_the_codes_kept() -> None:
    assert reason_text("Denied by the payer (CO-16, MA130)", ("CO-16", "MA130")) == (
        "The claim lacks information or has a billing error (CO-16, MA130)"
    )
    assert reason_text(None, ("CO-97", "PR-1")) == (
        "Paid as part of another service; the patient's deductible (CO-97, PR-1)"
    )


def test_the_payer_s_own_words_stay_when_no_code_is_known() -> None:
    assert reason_text("Subscriber not found", ("A7:21",)) == "Subscriber not found (A7:21)"
    assert reason_text("Denied (CO-999)", ("CO-999",)) == "Denied (CO-999)"
    assert reason_text(None, ()) == "No reason given"


def test_each_finding_says_where_to_fix_it() -> None:
    assert where_to_fix("lines[2].units") == "Line 2: Change line… on the draft claim."
    assert where_to_fix("lines[1].service_on") == "Line 1: the visit's date of service."
    assert where_to_fix("billing_provider.npi").startswith("Billing → Claim setup")
    assert where_to_fix("subscriber.group_number").startswith("The patient's record → Insurance")
    assert where_to_fix("something_new") == ""
    warning = ScrubProblem("lines[1].service_on", "Send it soon.", Severity.WARNING, "timely")
    assert problem_text(warning) == (
        "Warning: Send it soon.\nFix it in: Line 1: the visit's date of service."
    )
