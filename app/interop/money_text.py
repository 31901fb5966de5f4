"""Money as printed on receipts and statements: integer cents in, "$1,234.50" out."""

from __future__ import annotations


def dollars(cents: int) -> str:
    """'$1,234.50', or '−$20.00' for a credit (a real minus sign, as accountants print it)."""
    sign = "−" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"


def share_text(part: int, whole: int) -> str:
    """'42%' of `whole` in whole percents ('<1%' for a sliver; '—' when there is no whole)."""
    if whole <= 0:
        return "—"
    percent = round(100 * part / whole)
    return "<1%" if part and percent == 0 else f"{percent}%"
