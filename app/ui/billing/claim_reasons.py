"""A payer's reason for denying or cutting a claim, in words: the common Claim Adjustment
Reason Codes (CARC, maintained by X12: https://x12.org/codes/claim-adjustment-reason-codes)
paraphrased in our own plain words for the biller, with the group code's meaning. Codes not
listed stay as codes; remark codes (RARC, e.g. MA130) are shown as they are."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

_GROUP_CARC = re.compile(r"^(CO|PR|OA|PI|CR)-([A-Z0-9]{1,5})$")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimReasons", text)


# Our paraphrases of what each code tells the practice (not X12's wording).
_CARC = {
    "1": "the patient's deductible",
    "2": "the patient's coinsurance",
    "3": "the patient's copay",
    "4": "a modifier is missing or does not fit the procedure",
    "5": "the procedure does not fit the place of service",
    "6": "the procedure does not fit the patient's age",
    "7": "the procedure does not fit the patient's sex",
    "11": "the diagnosis does not support the procedure",
    "15": "the authorization number is missing or wrong",
    "16": "the claim lacks information or has a billing error",
    "18": "a duplicate of a claim or service already sent",
    "22": "another payer may be responsible first",
    "23": "what an earlier payer paid or adjusted",
    "26": "the service was before the coverage began",
    "27": "the service was after the coverage ended",
    "29": "sent after the payer's filing limit",
    "31": "the payer does not know the patient as its member",
    "45": "above the contracted or scheduled amount",
    "50": "not medically necessary in the payer's view",
    "96": "not covered",
    "97": "paid as part of another service",
    "109": "not this payer's to pay: send it to the right payer",
    "119": "the plan's benefit limit is reached",
    "140": "the patient's and the subscriber's details do not match the plan's",
    "146": "the diagnosis code was not valid on the date of service",
    "167": "the diagnosis is not covered",
    "181": "the procedure code was not valid on the date of service",
    "197": "prior authorization was missing",
    "204": "not covered by the patient's current plan",
    "242": "the provider is out of the payer's network",
    "252": "the payer needs an attachment or records",
}


def code_words(code: str) -> str | None:
    """ "CO-16" → what it means in words (None: not a code we know)."""
    match = _GROUP_CARC.match(code.strip().upper())
    if match is None or match.group(2) not in _CARC:
        return None
    return _tr(_CARC[match.group(2)])


def reason_text(reason: str | None, codes: Sequence[str]) -> str:
    """The reason in words with its codes: "The claim lacks information or has a billing
    error (CO-16, MA130)". The payer's own words are kept when no code is known."""
    listed = ", ".join(codes)
    meanings = [words for code in codes if (words := code_words(code))]
    if meanings:
        words = "; ".join(dict.fromkeys(meanings))
        return f"{words[:1].upper()}{words[1:]} ({listed})"
    if reason:
        return reason if all(code in reason for code in codes) else f"{reason} ({listed})"
    return listed or _tr("No reason given")
