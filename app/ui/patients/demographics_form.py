"""The patient's demographics as a form: used to register a patient and to edit one.

The first fields are last name, first name and date of birth (what the desk asks first and
what the duplicate check needs); the rest follow in the order people are asked.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.models import SexAtBirth
from app.services.errors import DomainError
from app.services.patient_data import PatientInput, PatientRecord
from app.services.patient_keys import age_on, parse_birth_date
from app.services.patients import ADULT_AGE
from app.ui.patients.fields import (
    ETHNICITIES,
    GENDER_IDENTITIES,
    LANGUAGES,
    PRONOUNS,
    RACES,
    SUFFIXES,
    combo_enum,
    labeled,
    optional,
    select_data,
    set_combo_text,
    sex_combo,
    suggest_combo,
    text_field,
)  # fmt: skip
from app.ui.patients.guarantor import GuarantorBox
from app.ui.patients.labels import date_text
from app.ui.patients.row_editors import ContactsEditor, PhonesEditor
from app.ui.session import DesktopSession
from app.ui.widgets import text_label


def section(title: str, subtitle: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "section")
    column = QVBoxLayout(frame)
    column.setContentsMargins(20, 16, 20, 18)
    column.setSpacing(12)
    column.addWidget(text_label(title, "heading"))
    if subtitle:
        column.addWidget(text_label(subtitle, "hint"))
    return frame, column


def grid(*rows: tuple[QWidget, ...]) -> QGridLayout:
    layout = QGridLayout()
    layout.setHorizontalSpacing(14)
    layout.setVerticalSpacing(12)
    for r, widgets in enumerate(rows):
        for c, widget in enumerate(widgets):
            layout.addWidget(widget, r, c, Qt.AlignmentFlag.AlignTop)
    for c in range(max(len(row) for row in rows)):
        layout.setColumnStretch(c, 1)
    return layout


class DemographicsForm(QWidget):
    identity_changed = Signal()  # last name, first name or date of birth changed

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.last_name = text_field(self.tr("Last name"))
        self.first_name = text_field(self.tr("First name"))
        self.birth = text_field(self.tr("Date of birth"), self.tr("MM/DD/YYYY"), 10)
        self.birth_hint = QLabel()
        self.birth_hint.setProperty("role", "hint")
        self.birth_hint.setWordWrap(True)
        self.birth_hint.setAccessibleName(self.tr("Age from date of birth"))
        self.middle_name = text_field(self.tr("Middle name"))
        self.suffix = suggest_combo(self.tr("Suffix"), SUFFIXES)
        self.preferred_name = text_field(
            self.tr("Preferred name"), self.tr("What they like to be called")
        )
        self.sex = sex_combo()
        self.gender = suggest_combo(self.tr("Gender identity"), GENDER_IDENTITIES)
        self.pronouns = suggest_combo(self.tr("Pronouns"), PRONOUNS)
        self.phones = PhonesEditor()
        self.email = text_field(self.tr("E-mail"), "name@example.com", 254)
        self.language = suggest_combo(self.tr("Preferred language"), LANGUAGES)
        self.address1 = text_field(self.tr("Address line 1"), self.tr("Street and number"))
        self.address2 = text_field(
            self.tr("Address line 2"), self.tr("Apartment, suite (optional)")
        )
        self.city = text_field(self.tr("City"))
        self.state = text_field(self.tr("State"), "IL", 2)
        self.postal_code = text_field(self.tr("ZIP code"), "60601", 10)
        self.consent_sms = QCheckBox(self.tr("Text messages (SMS)"))
        self.consent_email = QCheckBox(self.tr("E-mail"))
        self.consent_voicemail = QCheckBox(self.tr("Voicemail"))
        for box, name in (
            (self.consent_sms, self.tr("Consent to text messages")),
            (self.consent_email, self.tr("Consent to e-mail")),
            (self.consent_voicemail, self.tr("Consent to voicemail")),
        ):
            box.setAccessibleName(name)
        self.race = suggest_combo(self.tr("Race"), RACES)
        self.ethnicity = suggest_combo(self.tr("Ethnicity"), ETHNICITIES)
        self.contacts = ContactsEditor()
        self.guarantor = GuarantorBox(session)
        for edit in (self.last_name, self.first_name, self.birth):
            edit.textChanged.connect(self.identity_changed)
        self.birth.textChanged.connect(self._birth_typed)
        self._build()

    def _build(self) -> None:
        name, name_body = section(self.tr("Name and date of birth"), self.tr("* required"))
        name_body.addLayout(grid(
            (labeled(self.tr("Last name *"), self.last_name),
             labeled(self.tr("First name *"), self.first_name),
             self._birth_column()),
            (labeled(self.tr("Middle name"), self.middle_name),
             labeled(self.tr("Suffix"), self.suffix),
             labeled(self.tr("Preferred name"), self.preferred_name)),
        ))  # fmt: skip
        identity, identity_body = section(self.tr("Sex, gender and background"))
        identity_body.addLayout(grid(
            (labeled(self.tr("Sex at birth *"), self.sex),
             labeled(self.tr("Gender identity"), self.gender),
             labeled(self.tr("Pronouns"), self.pronouns)),
            (labeled(self.tr("Race"), self.race), labeled(self.tr("Ethnicity"), self.ethnicity),
             labeled(self.tr("Preferred language"), self.language)),
        ))  # fmt: skip
        contact, contact_body = section(self.tr("Contact"))
        contact_body.addLayout(grid(
            (labeled(self.tr("Phone numbers"), self.phones),
             labeled(self.tr("E-mail"), self.email)),
            (labeled(self.tr("Address"), self.address1),
             labeled(self.tr("Address line 2"), self.address2)),
        ))  # fmt: skip
        contact_body.addLayout(grid(
            (labeled(self.tr("City"), self.city), labeled(self.tr("State"), self.state),
             labeled(self.tr("ZIP code"), self.postal_code)),
        ))  # fmt: skip
        consents = QHBoxLayout()
        consents.setSpacing(22)
        consents.addWidget(QLabel(self.tr("They agree to be contacted by:")))
        for box in (self.consent_sms, self.consent_email, self.consent_voicemail):
            consents.addWidget(box)
        consents.addStretch(1)
        contact_body.addLayout(consents)
        contacts, contacts_body = section(
            self.tr("Emergency contacts"), self.tr("Who to call if something happens.")
        )
        contacts_body.addWidget(self.contacts)
        guarantor, guarantor_body = section(
            self.tr("Guarantor"),
            self.tr("The person responsible for the bill, when it is not the patient."),
        )
        guarantor_body.addWidget(self.guarantor)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        for frame in (name, identity, contact, contacts, guarantor):
            column.addWidget(frame)
        column.addStretch(1)

    def _birth_column(self) -> QWidget:
        holder = labeled(self.tr("Date of birth *"), self.birth)
        column = holder.layout()
        assert column is not None
        column.addWidget(self.birth_hint)
        return holder

    # -- reading the form ----------------------------------------------------------------

    def today(self) -> date:
        return self.session.ctx.clock.now().date()

    def birth_date(self) -> date | None:
        """The date of birth if it is a real date, else None."""
        try:
            born = parse_birth_date(self.birth.text(), self.today())
        except DomainError:
            return None
        return born if date(1900, 1, 1) <= born <= self.today() else None

    def is_minor(self) -> bool:
        born = self.birth_date()
        return born is not None and age_on(born, self.today()) < ADULT_AGE

    def _birth_typed(self, text: str) -> None:
        born = self.birth_date()
        if born is None:
            complete = len(text.strip()) >= 8
            self.birth_hint.setText(
                self.tr("Not a date yet — type it like 3/14/1985") if complete else ""
            )
        else:
            years = age_on(born, self.today())
            self.birth_hint.setText(
                self.tr("{date} · {years} years old").format(date=date_text(born), years=years)
            )
        self.guarantor.set_required(self.is_minor())

    def to_input(self) -> PatientInput:
        """What the form holds; DomainError (for the person) when it is not ready."""
        sex = combo_enum(self.sex, SexAtBirth)
        if sex is None:
            self.sex.setFocus()
            raise DomainError(self.tr("Choose the sex at birth (Unknown if not known)."))
        self.guarantor.check(self.is_minor())
        return PatientInput(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            date_of_birth=self.birth.text(),
            sex_at_birth=sex,
            middle_name=optional(self.middle_name.text()),
            suffix=optional(self.suffix.currentText()),
            preferred_name=optional(self.preferred_name.text()),
            gender_identity=optional(self.gender.currentText()),
            pronouns=optional(self.pronouns.currentText()),
            phones=self.phones.phones(),
            email=optional(self.email.text()),
            address_line1=optional(self.address1.text()),
            address_line2=optional(self.address2.text()),
            city=optional(self.city.text()),
            state=optional(self.state.text()),
            postal_code=optional(self.postal_code.text()),
            preferred_language=optional(self.language.currentText()),
            race=optional(self.race.currentText()),
            ethnicity=optional(self.ethnicity.currentText()),
            consent_sms=self.consent_sms.isChecked(),
            consent_email=self.consent_email.isChecked(),
            consent_voicemail=self.consent_voicemail.isChecked(),
            emergency_contacts=self.contacts.contacts(),
            **self.guarantor.values(),
        )

    # -- filling it ----------------------------------------------------------------------

    def set_record(self, record: PatientRecord) -> None:
        self.last_name.setText(record.last_name)
        self.first_name.setText(record.first_name)
        self.birth.setText(date_text(record.date_of_birth))
        self.middle_name.setText(record.middle_name or "")
        set_combo_text(self.suffix, record.suffix)
        self.preferred_name.setText(record.preferred_name or "")
        select_data(self.sex, record.sex_at_birth)
        set_combo_text(self.gender, record.gender_identity)
        set_combo_text(self.pronouns, record.pronouns)
        self.phones.set_phones(record.phones)
        self.email.setText(record.email or "")
        set_combo_text(self.language, record.preferred_language)
        self.address1.setText(record.address_line1 or "")
        self.address2.setText(record.address_line2 or "")
        self.city.setText(record.city or "")
        self.state.setText(record.state or "")
        self.postal_code.setText(record.postal_code or "")
        self.consent_sms.setChecked(record.consent_sms)
        self.consent_email.setChecked(record.consent_email)
        self.consent_voicemail.setChecked(record.consent_voicemail)
        set_combo_text(self.race, record.race)
        set_combo_text(self.ethnicity, record.ethnicity)
        self.contacts.set_contacts(record.contacts)
        self.guarantor.set_record(record)

    def clear(self) -> None:
        for edit in (self.last_name, self.first_name, self.birth, self.middle_name,
                     self.preferred_name, self.email, self.address1, self.address2, self.city,
                     self.state, self.postal_code):  # fmt: skip
            edit.clear()
        for combo in (self.suffix, self.gender, self.pronouns, self.language, self.race,
                      self.ethnicity):  # fmt: skip
            combo.setCurrentText("")
        self.sex.setCurrentIndex(0)
        for box in (self.consent_sms, self.consent_email, self.consent_voicemail):
            box.setChecked(False)
        self.phones.set_phones(())
        self.contacts.set_contacts(())
        self.guarantor.clear()
