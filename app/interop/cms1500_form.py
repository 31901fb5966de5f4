"""The CMS-1500 (02/12) form itself, drawn in drop-out red: rules, item numbers, captions,
check boxes and the shaded supplemental lines of Item 24. Our own drawing of the public
form (the 1500 form is in the public domain, NUCC), on the same grid as the data
(app/interop/cms1500_layout.py), so data printed on it sits where a printer would put it."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from app.interop.cms1500_layout import (
    CHAR_WIDTH,
    DIAGNOSIS_LETTERS,
    FIELDS,
    FIRST_SERVICE_LINE,
    INSURANCE_TYPE_COLUMNS,
    LAST_LINE,
    LINE_HEIGHT,
    SERVICE_ROWS,
    baseline,
    top_of,
    x_at,
)

FORM_RED = HexColor("#d2232a")  # the drop-out red scanners ignore
SHADE = HexColor("#fbe4e2")
CAPTION_SIZE = 5.6
RIGHT = 80.0  # the form's right border, as a column
LEFT_EDGE = 0.5
MIDDLE = 29.5  # between items 2/5/9/14/17 and 3/6/8/10/15/17a
CENTRE = 49.5  # between the patient's and the insured's halves
FRAME_TOP, FRAME_BOTTOM = 7, LAST_LINE + 1

_INSURANCE_CAPTIONS = {
    "medicare": ("MEDICARE", "(Medicare#)"),
    "medicaid": ("MEDICAID", "(Medicaid#)"),
    "tricare": ("TRICARE", "(ID#/DoD#)"),
    "champva": ("CHAMPVA", "(Member ID#)"),
    "group": ("GROUP|HEALTH PLAN", "(ID#)"),
    "feca": ("FECA|BLK LUNG", "(ID#)"),
    "other": ("OTHER", "(ID#)"),
}


def draw_form(canvas: Canvas) -> None:
    """The blank form on the current page."""
    canvas.saveState()
    canvas.setStrokeColor(FORM_RED)
    canvas.setFillColor(FORM_RED)
    _shading(canvas)
    _rules(canvas)
    _header(canvas)
    _patient_and_insured(canvas)
    _physician_or_supplier(canvas)
    _service_lines(canvas)
    _totals_and_signatures(canvas)
    _margins(canvas)
    canvas.restoreState()


# -- drawing helpers: columns and lines are the layout grid's ------------------------------


def _hline(canvas: Canvas, line: float, start: float, end: float, width: float = 0.5) -> None:
    canvas.setLineWidth(width)
    canvas.line(x_at(start), top_of(line), x_at(end), top_of(line))


def _vline(canvas: Canvas, col: float, first: float, last: float, width: float = 0.5) -> None:
    canvas.setLineWidth(width)
    canvas.line(x_at(col), top_of(first), x_at(col), top_of(last))


def _caption(
    canvas: Canvas,
    col: float,
    line: float,
    text: str,
    size: float = CAPTION_SIZE,
    bold: bool = False,
) -> None:
    """Small text in the top part of a line, as the form's captions sit."""
    canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
    canvas.drawString(x_at(col) + 1, top_of(line) - size - 0.6, text)


def _label(canvas: Canvas, col: float, line: int, text: str, size: float = CAPTION_SIZE) -> None:
    """Small text on a data line, next to a check box or an entry."""
    canvas.setFont("Helvetica", size)
    canvas.drawString(x_at(col) + 0.5, baseline(line) + 0.5, text)


def _checkbox(canvas: Canvas, col: int, line: int) -> None:
    canvas.setLineWidth(0.5)
    canvas.rect(x_at(col) - 0.4, baseline(line) - 1.6, CHAR_WIDTH + 0.8, 8.4, stroke=1, fill=0)


def _tick(canvas: Canvas, col: float, line: int) -> None:
    """The short dotted divider between MM, DD and YY or dollars and cents."""
    canvas.setLineWidth(0.5)
    canvas.setDash(1, 1)
    x = x_at(col) + CHAR_WIDTH / 2
    canvas.line(x, baseline(line) - 2, x, baseline(line) + 5)
    canvas.setDash()


def _date_ticks(canvas: Canvas, key: str) -> None:
    spot = FIELDS[key]
    for offset in (2, 5):
        _tick(canvas, spot.col + offset, spot.line)


def _shade(canvas: Canvas, line: int, start: float, end: float) -> None:
    canvas.saveState()
    canvas.setFillColor(SHADE)
    canvas.rect(
        x_at(start), top_of(line + 1), x_at(end) - x_at(start), LINE_HEIGHT, stroke=0, fill=1
    )
    canvas.restoreState()


# -- the form, top to bottom ---------------------------------------------------------------


def _shading(canvas: Canvas) -> None:
    for row in range(SERVICE_ROWS):
        _shade(canvas, FIRST_SERVICE_LINE - 1 + 2 * row, LEFT_EDGE, RIGHT)
    _shade(canvas, 33, 32.5, CENTRE)  # 17a
    _shade(canvas, 61, 34.5, CENTRE)  # 32b
    _shade(canvas, 61, 61.5, RIGHT)  # 33b


def _rules(canvas: Canvas) -> None:
    canvas.setLineWidth(1)
    canvas.rect(
        x_at(LEFT_EDGE),
        top_of(FRAME_BOTTOM),
        x_at(RIGHT) - x_at(LEFT_EDGE),
        top_of(FRAME_TOP) - top_of(FRAME_BOTTOM),
    )
    for line in (9, 11, 13, 17, 19, 21, 23, 25, 27, 33, 35, 37, 41, 57):
        _hline(canvas, line, LEFT_EDGE, RIGHT)
    _hline(canvas, 31, LEFT_EDGE, RIGHT, width=1)
    for line in range(FIRST_SERVICE_LINE - 1, FIRST_SERVICE_LINE + 2 * SERVICE_ROWS, 2):
        _hline(canvas, line, LEFT_EDGE, RIGHT, width=0.8 if line in (43, 55) else 0.5)
    _hline(canvas, 15, LEFT_EDGE, MIDDLE)
    _hline(canvas, 15, CENTRE, RIGHT)
    _hline(canvas, 39, CENTRE, RIGHT)
    _hline(canvas, 34, MIDDLE, CENTRE)
    _hline(canvas, 61, 21.5, RIGHT)
    _vline(canvas, CENTRE, FRAME_TOP, FRAME_BOTTOM)
    _vline(canvas, MIDDLE, 9, 27)
    _vline(canvas, MIDDLE, 31, 35)
    _vline(canvas, 25.5, 13, 15)  # 5: city | state
    _vline(canvas, 73.5, 13, 15)  # 7: city | state
    _vline(canvas, 12.5, 15, 17)  # 5: zip | phone
    _vline(canvas, 62.5, 15, 17)  # 7: zip | phone
    _vline(canvas, 3.5, 34, 35)  # 17: qualifier | name
    _vline(canvas, 32.5, 33, 34)  # 17a: qualifier | id
    _vline(canvas, 61.5, 35, 39)  # 20: lab | charges; 22: code | original ref
    for col in (21.5, 36.5, 60.5, 70.5):
        _vline(canvas, col, 55, 57)
    _vline(canvas, 21.5, 57, FRAME_BOTTOM)
    _vline(canvas, 34.5, 61, FRAME_BOTTOM)
    _vline(canvas, 61.5, 61, FRAME_BOTTOM)


def _header(canvas: Canvas) -> None:
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(x_at(1), baseline(4), "HEALTH INSURANCE CLAIM FORM")
    _caption(canvas, 1, 5, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12", 6)
    for first, label_col in ((1, 4), (77, 74)):
        canvas.setLineWidth(0.5)
        for col in range(first, first + 3):
            canvas.rect(x_at(col), top_of(7), CHAR_WIDTH, 7)
        canvas.setFont("Helvetica-Bold", 6)
        canvas.drawString(x_at(label_col) + 1, top_of(7) + 1.5, "PICA")


def _patient_and_insured(canvas: Canvas) -> None:
    _caption(canvas, 1, 7, "1.", bold=True)
    for kind, col in INSURANCE_TYPE_COLUMNS.items():
        name, id_kind = _INSURANCE_CAPTIONS[kind]
        for index, part in enumerate(name.split("|")):
            _caption(canvas, col + (1 if kind == "medicare" else 0), 7 + 0.45 * index, part)
        _checkbox(canvas, col, 8)
        _label(canvas, col + 1.2, 8, id_kind, 5)
    _caption(canvas, 50, 7, "1a. INSURED'S I.D. NUMBER")
    _caption(canvas, 67, 7, "(For Program in Item 1)", 5)

    _caption(canvas, 1, 9, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)")
    _caption(canvas, 30, 9, "3. PATIENT'S BIRTH DATE")
    _caption(canvas, 43, 9, "SEX")
    _date_captions(canvas, "3.date")
    _date_ticks(canvas, "3.date")
    _sex(canvas, "3")
    _caption(canvas, 50, 9, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)")

    _caption(canvas, 1, 11, "5. PATIENT'S ADDRESS (No., Street)")
    _caption(canvas, 30, 11, "6. PATIENT RELATIONSHIP TO INSURED")
    for key, text, label_col in (
        ("6:self", "Self", 30.4),
        ("6:spouse", "Spouse", 34.6),
        ("6:child", "Child", 39.4),
        ("6:other", "Other", 43.8),
    ):
        _label(canvas, label_col, 12, text)
        _checkbox(canvas, FIELDS[key].col, 12)
    _caption(canvas, 50, 11, "7. INSURED'S ADDRESS (No., Street)")

    for side, city_col, state_col, zip_col, phone_col in ((5, 1, 26, 1, 13), (7, 50, 74, 50, 63)):
        _caption(canvas, city_col, 13, "CITY")
        _caption(canvas, state_col, 13, "STATE")
        _caption(canvas, zip_col, 15, "ZIP CODE")
        _caption(canvas, phone_col, 15, "TELEPHONE (Include Area Code)")
        phone = FIELDS[f"{side}.phone"]
        _label(canvas, phone.col - 1, 16, "(", 9)
        _label(canvas, phone.col + 3, 16, ")", 9)
    _caption(canvas, 30, 13, "8. RESERVED FOR NUCC USE")

    _caption(canvas, 1, 17, "9. OTHER INSURED'S NAME (Last name, First Name, Middle Initial)")
    _caption(canvas, 30, 17, "10. IS PATIENT'S CONDITION RELATED TO:")
    _caption(canvas, 50, 17, "11. INSURED'S POLICY GROUP OR FECA NUMBER")
    _caption(canvas, 1, 19, "a. OTHER INSURED'S POLICY OR GROUP NUMBER")
    _caption(canvas, 1, 21, "b. RESERVED FOR NUCC USE")
    _caption(canvas, 1, 23, "c. RESERVED FOR NUCC USE")
    _caption(canvas, 1, 25, "d. INSURANCE PLAN NAME OR PROGRAM NAME")
    for item, caption in (
        ("10a", "a. EMPLOYMENT? (Current or Previous)"),
        ("10b", "b. AUTO ACCIDENT?"),
        ("10c", "c. OTHER ACCIDENT?"),
    ):
        line = FIELDS[f"{item}:yes"].line
        _caption(canvas, 30, line - 1, caption)
        _yes_no(canvas, item)
    _caption(canvas, 43, 21, "PLACE (State)")
    state = FIELDS["10b.state"]
    _hline(canvas, state.line + 0.85, state.col - 0.3, state.col + 2.3)
    _caption(canvas, 30, 25, "10d. CLAIM CODES (Designated by NUCC)")

    _caption(canvas, 50, 19, "a. INSURED'S DATE OF BIRTH")
    _caption(canvas, 70, 19, "SEX")
    _date_captions(canvas, "11a.date")
    _date_ticks(canvas, "11a.date")
    _sex(canvas, "11a")
    _caption(canvas, 50, 21, "b. OTHER CLAIM ID (Designated by NUCC)")
    _caption(canvas, 50, 23, "c. INSURANCE PLAN NAME OR PROGRAM NAME")
    _caption(canvas, 50, 25, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?")
    _yes_no(canvas, "11d")
    _label(canvas, 61, 26, "If yes, complete items 9, 9a, and 9d.", 5.2)

    canvas.setFont("Helvetica-Bold", 6)
    canvas.drawCentredString(
        (x_at(LEFT_EDGE) + x_at(CENTRE)) / 2,
        top_of(27) - 6.6,
        "READ BACK OF FORM BEFORE COMPLETING & SIGNING THIS FORM.",
    )
    _paragraph(
        canvas,
        1,
        28,
        "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize the release of any medical "
        "or other information necessary to process this claim. I also request payment of "
        "government benefits either to myself or to the party who accepts assignment below.",
        CENTRE - 1.5,
    )
    _paragraph(
        canvas,
        50,
        27,
        "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE I authorize payment of medical "
        "benefits to the undersigned physician or supplier for services described below.",
        RIGHT - 0.5,
    )
    for col, text in ((1, "SIGNED"), (31, "DATE"), (50, "SIGNED")):
        _label(canvas, col, 29, text, 6)
    _hline(canvas, 29.9, 7, 29)
    _hline(canvas, 29.9, 35, 48.5)
    _hline(canvas, 29.9, 56, 79.5)


def _physician_or_supplier(canvas: Canvas) -> None:
    _caption(canvas, 1, 31, "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)")
    _date_captions(canvas, "14.date")
    _date_ticks(canvas, "14.date")
    _label(canvas, 15, 32, "QUAL.")
    _caption(canvas, 30, 31, "15. OTHER DATE")
    _label(canvas, 30, 32, "QUAL.")
    _label(canvas, 37, 32, "MM  |  DD  |  YY")
    _caption(canvas, 50, 31, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION")
    _from_to(canvas, 32)

    _caption(canvas, 1, 33, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE")
    _caption(canvas, 30, 33, "17a.")
    _caption(canvas, 30, 34, "17b.")
    _label(canvas, 32, 34, "NPI")
    _caption(canvas, 50, 33, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES")
    _from_to(canvas, 34)

    _caption(canvas, 1, 35, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)")
    _caption(canvas, 50, 35, "20. OUTSIDE LAB?")
    _yes_no(canvas, None, line=36, cols=(52, 57))
    _caption(canvas, 62, 35, "$ CHARGES")

    _caption(
        canvas,
        1,
        37,
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)",
    )
    indicator = FIELDS["21.ind"]
    _label(canvas, indicator.col - 4.5, indicator.line, "ICD Ind.", 5.2)
    _tick(canvas, indicator.col - 1, indicator.line)
    _tick(canvas, indicator.col + 1, indicator.line)
    for letter in DIAGNOSIS_LETTERS:
        spot = FIELDS[f"21.{letter}"]
        _label(canvas, spot.col - 2, spot.line, f"{letter}.", 6)
        _hline(canvas, spot.line + 0.9, spot.col, min(spot.col + spot.width + 2, CENTRE - 0.3))
    _caption(canvas, 50, 37, "22. RESUBMISSION")
    _caption(canvas, 50, 37.45, "     CODE")
    _caption(canvas, 62, 37, "ORIGINAL REF. NO.")
    _caption(canvas, 50, 39, "23. PRIOR AUTHORIZATION NUMBER")


def _service_lines(canvas: Canvas) -> None:
    columns = (9.5, 18.5, 21.5, 24.5, 44.5, 49.5, 58.5, 62.5, 64.5, 67.5)
    last = FIRST_SERVICE_LINE + 2 * SERVICE_ROWS - 1
    for col in columns:
        _vline(canvas, col, 42 if col == 9.5 else 41, last)
    _vline(canvas, 32.5, 42, last)
    _hline(canvas, 42, 0.5, 18.5, 0.4)
    _hline(canvas, 42, 24.5, 44.5, 0.4)
    _caption(canvas, 1, 41, "24. A.      DATE(S) OF SERVICE")
    _caption(canvas, 3.5, 42, "From", 5)
    _caption(canvas, 12.5, 42, "To", 5)
    for start in (1, 10):
        _mm_dd_yy(canvas, start, 43)
    _caption(canvas, 18.6, 41, "B.", 4.6)
    _caption(canvas, 18.6, 41.45, "PLACE OF", 3.6)
    _caption(canvas, 18.6, 41.85, "SERVICE", 3.6)
    _caption(canvas, 21.8, 41.5, "C.", 4.6)
    _caption(canvas, 21.8, 42, "EMG", 4.6)
    _caption(canvas, 25, 41, "D. PROCEDURES, SERVICES, OR SUPPLIES")
    _caption(canvas, 25, 41.5, "(Explain Unusual Circumstances)", 5)
    _caption(canvas, 25, 42.3, "CPT/HCPCS", 5)
    _caption(canvas, 34, 42.3, "MODIFIER", 5)
    _caption(canvas, 44.8, 41, "E.", 5)
    _caption(canvas, 44.8, 41.5, "DIAGNOSIS", 4.4)
    _caption(canvas, 44.8, 42, "POINTER", 4.4)
    _caption(canvas, 50, 41.5, "F.", 5)
    _caption(canvas, 50, 42.2, "$ CHARGES", 5)
    _caption(canvas, 58.6, 41, "G.", 5)
    _caption(canvas, 58.6, 41.5, "DAYS", 4.6)
    _caption(canvas, 58.6, 42, "UNITS", 4.6)
    _caption(canvas, 62.6, 41, "H.", 4.6)
    _caption(canvas, 62.5, 41.45, "EPSDT", 3.5)
    _caption(canvas, 62.5, 41.85, "Family", 3.5)
    _caption(canvas, 62.5, 42.25, "Plan", 3.5)
    _caption(canvas, 64.6, 41, "I.", 5)
    _caption(canvas, 64.6, 41.5, "ID.", 4.6)
    _caption(canvas, 64.6, 42, "QUAL.", 4.2)
    _caption(canvas, 68, 41, "J.")
    _caption(canvas, 68, 41.5, "RENDERING", 5)
    _caption(canvas, 68, 42, "PROVIDER ID. #", 5)
    for row in range(1, SERVICE_ROWS + 1):
        line = FIRST_SERVICE_LINE + 2 * (row - 1)
        for col in (3, 6, 12, 15, 35, 38, 41, 55):
            _tick(canvas, col, line)
        _label(canvas, 65, line, "NPI", 5.5)
        canvas.setDash(2, 1.5)
        _hline(canvas, line, 67.5, RIGHT, 0.4)
        canvas.setDash()
        canvas.setFont("Helvetica-Bold", 8)
        canvas.drawCentredString(x_at(LEFT_EDGE) / 2, top_of(line) - 3, str(row))


def _totals_and_signatures(canvas: Canvas) -> None:
    _caption(canvas, 1, 55, "25. FEDERAL TAX I.D. NUMBER")
    _caption(canvas, 16.6, 55, "SSN  EIN", 5)
    _checkbox(canvas, FIELDS["25:ssn"].col, 56)
    _checkbox(canvas, FIELDS["25:ein"].col, 56)
    _caption(canvas, 22, 55, "26. PATIENT'S ACCOUNT NO.")
    _caption(canvas, 37, 55, "27. ACCEPT ASSIGNMENT?")
    _caption(canvas, 37, 55.5, "(For govt. claims, see back)", 4.6)
    _yes_no(canvas, "27")
    _caption(canvas, 50, 55, "28. TOTAL CHARGE")
    _label(canvas, 50.2, 56, "$", 7)
    _caption(canvas, 61, 55, "29. AMOUNT PAID")
    _label(canvas, 61, 56, "$", 7)
    _caption(canvas, 71, 55, "30. Rsvd for NUCC Use")
    for key in ("28", "29"):
        spot = FIELDS[key]
        _tick(canvas, spot.col + spot.width - 3, spot.line)

    _paragraph(
        canvas,
        1,
        57,
        "31. SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS "
        "(I certify that the statements on the reverse apply to this bill and are made a "
        "part thereof.)",
        21,
        size=4.8,
    )
    _label(canvas, 1, 61, "SIGNED", 5)
    _label(canvas, 10, 61, "DATE", 5)
    _caption(canvas, 22, 57, "32. SERVICE FACILITY LOCATION INFORMATION")
    _caption(canvas, 50, 57, "33. BILLING PROVIDER INFO & PH #")
    area = FIELDS["33.area"]
    _label(canvas, area.col - 1, area.line, "(", 9)
    _label(canvas, area.col + 3, area.line, ")", 9)
    for col, text in ((22, "a."), (35, "b."), (50, "a."), (62, "b.")):
        _label(canvas, col, 61, text, 6.5)


def _margins(canvas: Canvas) -> None:
    """The bracketed section names in the right margin, and the form's footer line."""
    x = x_at(RIGHT) + 12
    for first, last, text in (
        (1, 7, "CARRIER"),
        (FRAME_TOP, 31, "PATIENT AND INSURED INFORMATION"),
        (31, FRAME_BOTTOM, "PHYSICIAN OR SUPPLIER INFORMATION"),
    ):
        top, bottom = top_of(first) - 2, top_of(last) + 2
        middle = (top + bottom) / 2
        half = len(text) * 2.1 + 4
        canvas.setLineWidth(0.6)
        canvas.line(x, top, x, middle + half)
        canvas.line(x, middle - half, x, bottom)
        canvas.line(x - 3, top, x + 3, top)
        for tip in (top, bottom):
            canvas.line(x - 2.5, tip + (3 if tip == bottom else -3), x, tip)
            canvas.line(x + 2.5, tip + (3 if tip == bottom else -3), x, tip)
        canvas.saveState()
        canvas.translate(x + 2.2, middle)
        canvas.rotate(90)
        canvas.setFont("Helvetica-Bold", 6)
        canvas.drawCentredString(0, 0, text)
        canvas.restoreState()
    y = top_of(FRAME_BOTTOM) - 8
    canvas.setFont("Helvetica-Bold", 6.2)
    canvas.drawString(x_at(LEFT_EDGE), y, "NUCC Instruction Manual available at: www.nucc.org")
    canvas.drawCentredString((x_at(LEFT_EDGE) + x_at(RIGHT)) / 2 + 20, y, "PLEASE PRINT OR TYPE")
    canvas.drawRightString(x_at(RIGHT), y, "APPROVED OMB-0938-1197 FORM 1500 (02-12)")


# -- repeated pieces -----------------------------------------------------------------------


def _date_captions(canvas: Canvas, key: str) -> None:
    """ "MM DD YY" just over a date entry."""
    spot = FIELDS[key]
    _mm_dd_yy(canvas, spot.col, spot.line, wide_year=spot.width == 10)


def _mm_dd_yy(canvas: Canvas, col: float, line: int, wide_year: bool = False) -> None:
    canvas.setFont("Helvetica", 4.6)
    y = top_of(line) + 0.8
    year_middle = col + (8 if wide_year else 7)
    for middle, text in ((col + 1, "MM"), (col + 4, "DD"), (year_middle, "YY")):
        canvas.drawCentredString(x_at(middle), y, text)


def _sex(canvas: Canvas, item: str) -> None:
    for sex in ("M", "F"):
        spot = FIELDS[f"{item}:{sex}"]
        _label(canvas, spot.col - 0.9, spot.line, sex, 6)
        _checkbox(canvas, spot.col, spot.line)


def _yes_no(
    canvas: Canvas,
    item: str | None,
    *,
    line: int | None = None,
    cols: tuple[int, int] | None = None,
) -> None:
    if item is not None:
        yes, no = FIELDS[f"{item}:yes"], FIELDS[f"{item}:no"]
        line, cols = yes.line, (yes.col, no.col)
    assert line is not None and cols is not None
    for col, text in zip(cols, ("YES", "NO"), strict=True):
        _checkbox(canvas, col, line)
        _label(canvas, col + 1.3, line, text, 5.6)


def _from_to(canvas: Canvas, line: int) -> None:
    """Items 16 and 18: a FROM and a TO date (we leave both blank)."""
    _label(canvas, 50, line, "FROM", 5.2)
    _label(canvas, 64.5, line, "TO", 5.2)
    for start in (54, 68):
        for col in (start + 2, start + 5):
            _tick(canvas, col, line)
        _mm_dd_yy(canvas, start, line, wide_year=True)


def _paragraph(
    canvas: Canvas, col: float, line: float, text: str, right: float, size: float = 5.4
) -> None:
    """Wrap a caption into the width of its box, line under line."""
    canvas.setFont("Helvetica", size)
    width = x_at(right) - x_at(col) - 2
    words, current, lines = text.split(), "", []
    for word in words:
        attempt = f"{current} {word}".strip()
        if canvas.stringWidth(attempt, "Helvetica", size) > width and current:
            lines.append(current)
            current = word
        else:
            current = attempt
    lines.append(current)
    y = top_of(line) - size - 0.6
    for text_line in lines:
        canvas.drawString(x_at(col) + 1, y, text_line)
        y -= size + 1
