"""Demo documents: small PDFs (reportlab) such as an outside lab, radiology group or
specialist would send (a lab report, an imaging report, a letter), filed in the chart a few
days after a visit, most signed off by a physician, the latest still awaiting review.

The PDFs are made with `invariant=1`, so the same seed gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from app.models import ClinicalDocument, DocumentCategory, DocumentContent, Encounter
from app.models.base import new_id
from app.services.demo_chart_patient import ChartState

LAB, IMAGING, LETTER_KIND = (
    DocumentCategory.LAB_REPORT,
    DocumentCategory.IMAGING_REPORT,
    DocumentCategory.LETTER,
)
REVIEW_NOTES = (None, None, "Normal; result letter sent.", "Discussed with the patient by phone.",
                "Reviewed; no change to the plan.")  # fmt: skip


@dataclass(frozen=True)
class Report:
    category: DocumentCategory
    title: str
    sender: str  # the lab, radiology group or specialist
    lines: tuple[str, ...]  # the body, one printed line each


def _lab(title: str, results: list[tuple[str, float, str, float, float]]) -> Report:
    lines = [f"{'Test':<28}{'Result':>10}  {'Units':<10}{'Reference':<14}Flag"]
    for test, value, unit, low, high in results:
        flag = "H" if value > high else "L" if value < low else ""
        shown = f"{value:.1f}" if value < 20 else f"{value:.0f}"
        lines.append(f"{test:<28}{shown:>10}  {unit:<10}{f'{low:g}-{high:g}':<14}{flag}")
    return Report(LAB, f"{title}, Prairie Regional Laboratory", "Prairie Regional Laboratory",
                  tuple(lines))  # fmt: skip


def report_for(state: ChartState, rng: random.Random) -> Report:
    """A report that fits this patient's chart."""
    keys = set(state.conditions)
    age = state.age_on(state.setting.today)
    options: list[Report] = []
    if keys & {"t2dm", "prediabetes", "t1dm"}:
        a1c = rng.uniform(5.8, 6.4) if "prediabetes" in keys else rng.uniform(6.4, 8.8)
        options.append(_lab("Hemoglobin A1c and basic metabolic panel", [
            ("Hemoglobin A1c", a1c, "%", 4.0, 5.6), ("Glucose, fasting", a1c * 19, "mg/dL", 70, 99),
            ("Creatinine", rng.uniform(0.7, 1.3), "mg/dL", 0.6, 1.2),
            ("Potassium", rng.uniform(3.7, 5.0), "mmol/L", 3.5, 5.1),
        ]))  # fmt: skip
    if "hypothyroidism" in keys:
        options.append(_lab("TSH and free T4", [
            ("TSH", rng.uniform(0.8, 7.5), "mIU/L", 0.4, 4.5),
            ("Free T4", rng.uniform(0.8, 1.6), "ng/dL", 0.8, 1.8),
        ]))  # fmt: skip
    if age >= 18:
        options.append(_lab("Lipid panel", [
            ("Total cholesterol", rng.uniform(150, 250), "mg/dL", 100, 199),
            ("LDL cholesterol", rng.uniform(70, 165), "mg/dL", 0, 99),
            ("HDL cholesterol", rng.uniform(35, 75), "mg/dL", 40, 100),
            ("Triglycerides", rng.uniform(70, 260), "mg/dL", 0, 149),
        ]))  # fmt: skip
    options.append(_lab("Complete blood count", [
        ("Hemoglobin", rng.uniform(10.8, 15.5), "g/dL", 12.0, 17.0),
        ("White blood cells", rng.uniform(4.2, 11.5), "10^3/uL", 4.0, 11.0),
        ("Platelets", rng.uniform(160, 390), "10^3/uL", 150, 400),
    ]))  # fmt: skip
    if "osteoarthritis" in keys:
        options.append(Report(IMAGING, "Knee x-ray, 3 views", "Riverside Imaging Associates", (
            "EXAM: Right knee, 3 views.", "HISTORY: Knee pain.",
            "FINDINGS: Medial joint space narrowing with small osteophytes. No fracture or",
            "effusion.", "IMPRESSION: Mild to moderate osteoarthritis of the right knee.",
        )))  # fmt: skip
    if "osteoporosis" in keys or (state.patient.female and age >= 65):
        t_score = rng.uniform(-3.1, -1.2)
        options.append(Report(IMAGING, "DEXA bone density", "Riverside Imaging Associates", (
            "EXAM: Dual-energy x-ray absorptiometry, lumbar spine and left hip.",
            f"RESULTS: Lowest T-score {t_score:.1f} (femoral neck).",
            "IMPRESSION: " + ("Osteoporosis." if t_score <= -2.5 else "Osteopenia."),
        )))  # fmt: skip
    if any(p.icd10_code in ("J18.9", "J20.9", "J06.9") for p in state.problems) or age >= 50:
        options.append(Report(IMAGING, "Chest x-ray, 2 views", "Riverside Imaging Associates", (
            "EXAM: Chest, PA and lateral.", "HISTORY: Cough.",
            "FINDINGS: Lungs clear. Heart size normal. No effusion or pneumothorax.",
            "IMPRESSION: No acute cardiopulmonary disease.",
        )))  # fmt: skip
    if keys & {"afib", "cad", "hypertension"}:
        options.append(Report(LETTER_KIND, "Cardiology consultation letter",
                              "Lakeview Cardiology", (
            "Dear colleague,",
            "Thank you for asking me to see your patient. Echocardiogram shows normal left",
            "ventricular function (ejection fraction 55-60%) and no significant valve disease.",
            "I agree with the current medicines; we will see the patient again in 6 months.",
            "Sincerely, Dr. Ellen Marsh, Cardiology",
        )))  # fmt: skip
    if "back_pain" in keys:
        options.append(Report(LETTER_KIND, "Physical therapy progress report",
                              "MoveWell Physical Therapy", (
            "Seen for 6 visits for low back pain. Pain down from 6/10 to 2/10; lifting and",
            "walking tolerance improved. Home exercise program given; discharged from therapy.",
        )))  # fmt: skip
    return rng.choice(options)


def pdf_bytes(state: ChartState, report: Report, on: date, ordered_by: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1, pageCompression=1)
    canvas.setTitle(report.title)  # the metadata names no patient
    y = LETTER[1] - 72
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(72, y, report.sender)
    canvas.setFont("Helvetica", 10)
    patient = state.patient
    header = (
        report.title.split(",")[0],
        f"Patient: {patient.name}    DOB: {patient.birth:%m/%d/%Y}    MRN: {patient.mrn}",
        f"Date: {on:%m/%d/%Y}    Ordered by: {ordered_by}",
    )
    for line in header:
        y -= 18
        canvas.drawString(72, y, line)
    y -= 14
    canvas.line(72, y, LETTER[0] - 72, y)
    canvas.setFont("Courier" if report.category is LAB else "Helvetica", 10)
    for line in report.lines:
        y -= 15
        canvas.drawString(72, y, line)
    canvas.setFont("Helvetica-Oblique", 8)
    canvas.drawString(72, 54, "Fictional demo document (Stethos demo practice).")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def add_documents(state: ChartState, count: int, rng: random.Random) -> None:
    """`count` documents, each following one of the patient's office visits (or, without
    visits, recent ones dated in the last weeks)."""
    setting = state.setting
    office = [
        r for r in state.rows if isinstance(r, Encounter) and r.provider_id != setting.nurse_id
    ]
    for index in range(count):
        encounter = office[index * len(office) // count] if office else None
        day = state.local(encounter.starts_at).date() if encounter else setting.today
        on = min(day + timedelta(days=rng.randint(1, 5)), setting.today)
        imported = state.at(on + timedelta(days=rng.randint(0, 2)), rng.randint(9, 16))
        imported = max(
            imported, encounter.starts_at + timedelta(hours=1) if encounter else imported
        )
        reviewer = encounter.provider_id if encounter else rng.choice(setting.physician_ids)
        report = report_for(state, rng)
        data = pdf_bytes(state, report, on, setting.names.get(reviewer, ""))
        reviewed: datetime | None = imported + timedelta(hours=rng.randint(3, 72))
        recent = (setting.today - on).days < 14
        if reviewed is not None and (reviewed >= setting.now or (recent and rng.random() < 0.7)):
            reviewed = None
        document = ClinicalDocument(
            id=new_id(),
            patient_id=state.patient.id,
            category=report.category,
            title=report.title,
            document_on=on,
            media_type="application/pdf",
            byte_count=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            imported_by_id=setting.nurse_id,
            encounter_id=encounter.id if encounter else None,
            reviewer_id=reviewer if reviewed else None,
            reviewed_at=reviewed,
            review_note=rng.choice(REVIEW_NOTES) if reviewed else None,
            created_at=imported,
            updated_at=reviewed or imported,
        )
        state.rows.append(document)
        state.rows.append(
            DocumentContent(
                document_id=document.id, data=data, created_at=imported, updated_at=imported
            )
        )
