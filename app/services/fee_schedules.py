"""Fee schedules: what the practice charges for each procedure code, self-pay or per payer.

CPT is licensed by the AMA, so the practice brings its own list as a CSV file and we check
only the form of each line (app.services.fee_schedule_file). HCPCS Level II is public
(CMS): a short list of common codes with our own descriptions ships in resources/billing.
Charge capture prices a visit with `pricing_schedules` and `find_item`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import Coverage, FeeSchedule, FeeScheduleItem, Payer
from app.services import billing_data as rules
from app.services.audit_chain import AuditEntry
from app.services.billing_data import (
    FeeItemInput,
    FeeItemView,
    FeeScheduleInput,
    FeeScheduleView,
    HcpcsCode,
    ImportReport,
)
from app.services.bus import FeeSchedulesChanged
from app.services.chart_common import check_version
from app.services.chart_lists_data import default_icd10_catalog
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError, NotFound
from app.services.fee_schedule_file import (
    DEMO_FEE_FILE,
    FeeLine,
    billable_icd10,
    hcpcs_catalog,
    read_fee_file,
)
from app.services.permissions import Permission
from app.terminology.icd10cm import Icd10Catalog

CATEGORY = "fee_schedule"
DEMO_SCHEDULE_NAME = "Self-pay"
MAX_NAME = 100
NO_SCHEDULE = (
    "There is no fee schedule to price this visit. Add one under Billing → Fee schedules "
    "(or import the practice's fee file) and mark it as the default."
)


class NoFeeSchedule(DomainError):
    """Nothing to price with: the practice has no active schedule for this patient."""

    def __init__(self) -> None:
        super().__init__(NO_SCHEDULE)


# -- pricing (inside the caller's unit of work) -------------------------------------------


def pricing_schedules(session: Session, patient_id: str, on: date) -> list[FeeSchedule]:
    """The schedules that price a service on `on`, first choice first: the schedule of the
    patient's primary payer that day (the latest in effect), then the default one. Refused
    with NoFeeSchedule when there is neither."""
    chosen: list[FeeSchedule] = []
    payer_id = session.scalar(
        select(Coverage.payer_id)
        .where(
            Coverage.patient_id == patient_id,
            Coverage.deleted_at.is_(None),
            or_(Coverage.effective_on.is_(None), Coverage.effective_on <= on),
            or_(Coverage.terminated_on.is_(None), Coverage.terminated_on >= on),
        )
        .order_by(Coverage.priority, Coverage.created_at)
        .limit(1)
    )
    in_effect = (
        FeeSchedule.active.is_(True),
        FeeSchedule.deleted_at.is_(None),
        or_(FeeSchedule.effective_on.is_(None), FeeSchedule.effective_on <= on),
    )
    latest_first = (FeeSchedule.effective_on.desc().nulls_last(), FeeSchedule.created_at.desc())
    if payer_id is not None:
        payer_schedule = session.scalars(
            select(FeeSchedule)
            .where(FeeSchedule.payer_id == payer_id, *in_effect)
            .order_by(*latest_first)
        ).first()
        if payer_schedule is not None:
            chosen.append(payer_schedule)
    default = session.scalars(
        select(FeeSchedule)
        .where(FeeSchedule.is_default.is_(True), *in_effect)
        .order_by(*latest_first)
    ).first()
    if default is not None:
        chosen.append(default)
    if not chosen:
        raise NoFeeSchedule()
    return chosen


def find_item(
    session: Session, schedules: Iterable[FeeSchedule], code: str
) -> FeeScheduleItem | None:
    """The active item for `code` in the first schedule that has one."""
    for schedule in schedules:
        item = session.scalars(
            select(FeeScheduleItem).where(
                FeeScheduleItem.schedule_id == schedule.id,
                FeeScheduleItem.code == code,
                FeeScheduleItem.active.is_(True),
                FeeScheduleItem.deleted_at.is_(None),
            )
        ).first()
        if item is not None:
            return item
    return None


# -- the service ---------------------------------------------------------------------------


class FeeScheduleService:
    def __init__(self, ctx: AppContext, icd10: Icd10Catalog | None = None) -> None:
        self.ctx = ctx
        self._icd10 = icd10

    @requires(Permission.VIEW_ACCOUNTS)
    def list_schedules(self, include_inactive: bool = True) -> list[FeeScheduleView]:
        """Default first, then by name. Not audited: price lists name no patient."""
        with self.ctx.unit_of_work() as uow:
            query = select(FeeSchedule).where(FeeSchedule.deleted_at.is_(None))
            if not include_inactive:
                query = query.where(FeeSchedule.active.is_(True))
            rows = uow.session.scalars(query).all()
            ordered = sorted(rows, key=lambda s: (not s.is_default, s.name.casefold()))
            return _schedule_views(uow.session, ordered)

    @requires(Permission.VIEW_ACCOUNTS)
    def items(self, schedule_id: str, include_inactive: bool = False) -> list[FeeItemView]:
        """A schedule's items by code (CPT before HCPCS Level II, as digits sort first)."""
        with self.ctx.unit_of_work() as uow:
            _schedule(uow.session, schedule_id)
            query = select(FeeScheduleItem).where(
                FeeScheduleItem.schedule_id == schedule_id, FeeScheduleItem.deleted_at.is_(None)
            )
            if not include_inactive:
                query = query.where(FeeScheduleItem.active.is_(True))
            return [
                _item_view(i) for i in uow.session.scalars(query.order_by(FeeScheduleItem.code))
            ]

    @requires(Permission.VIEW_ACCOUNTS)
    def hcpcs_codes(self, text: str = "", limit: int = 50) -> list[HcpcsCode]:
        """The shipped HCPCS Level II list, by code prefix ("J10") or words ("b12")."""
        words = text.casefold().split()
        found = [
            c
            for c in hcpcs_catalog()
            if not words
            or c.code.casefold().startswith(words[0])
            or all(w in c.description.casefold() for w in words)
        ]
        return found[: max(0, limit)]

    @requires(Permission.POST_CHARGES)
    def add_schedule(self, data: FeeScheduleInput) -> FeeScheduleView:
        with self.ctx.unit_of_work() as uow:
            schedule = FeeSchedule()
            self._apply(uow, schedule, data)
            uow.session.add(schedule)
            return self._written(uow, "create", schedule)

    @requires(Permission.POST_CHARGES)
    def update_schedule(
        self, schedule_id: str, data: FeeScheduleInput, expected_version: int
    ) -> FeeScheduleView:
        with self.ctx.unit_of_work() as uow:
            schedule = _schedule(uow.session, schedule_id)
            check_version(schedule, expected_version, "fee schedule")
            self._apply(uow, schedule, data)
            return self._written(uow, "update", schedule)

    @requires(Permission.POST_CHARGES)
    def save_item(self, schedule_id: str, data: FeeItemInput) -> FeeItemView:
        """Add a code to the schedule, or replace the price, description, units and
        diagnosis of the code already there (a retired one comes back)."""
        try:
            code = rules.procedure_code(data.code)[1]
            price = _checked_price(data.price_cents)
            units = rules.units(data.units)
        except ValueError as err:
            raise DomainError(_sentence(str(err))) from None
        description = " ".join(data.description.split()) or _hcpcs_description(code)
        if not description:
            raise DomainError(f"Describe {code} in words the patient's statement can show.")
        if len(description) > rules.MAX_DESCRIPTION:
            raise DomainError(f"Keep the description under {rules.MAX_DESCRIPTION} characters.")
        diagnosis = None
        if data.default_icd10 and data.default_icd10.strip():
            try:
                diagnosis = billable_icd10(self._catalog, data.default_icd10)
            except ValueError as err:
                raise DomainError(_sentence(str(err))) from None
        with self.ctx.unit_of_work() as uow:
            schedule = _schedule(uow.session, schedule_id)
            line = FeeItemInput(code, description, price, units, diagnosis)
            item, action = _upsert(uow.session, schedule, line)
            uow.session.flush()
            uow.audit(AuditEntry(action, CATEGORY, entity_id=item.id, detail=f"{code} {price}c"))
            uow.notify(FeeSchedulesChanged((schedule.id,)))
            return _item_view(item)

    @requires(Permission.POST_CHARGES)
    def set_price(self, item_id: str, price_cents: int, expected_version: int) -> FeeItemView:
        try:
            price = _checked_price(price_cents)
        except ValueError as err:
            raise DomainError(_sentence(str(err))) from None
        with self.ctx.unit_of_work() as uow:
            item = uow.session.get(FeeScheduleItem, item_id)
            if item is None or item.deleted_at is not None:
                raise NotFound("That fee schedule line does not exist.")
            check_version(item, expected_version, "fee")
            before = item.price_cents
            item.price_cents = price
            uow.session.flush()
            detail = f"{item.code} {before}c → {price}c"
            uow.audit(AuditEntry("update", CATEGORY, entity_id=item.id, detail=detail))
            uow.notify(FeeSchedulesChanged((item.schedule_id,)))
            return _item_view(item)

    @requires(Permission.POST_CHARGES)
    def import_csv(self, schedule_id: str, data: bytes) -> ImportReport:
        """Read a practice's fee file into a schedule (see `read_fee_file`). All or nothing:
        if any line is bad, the report lists every bad line and nothing is written. Codes in
        the file are added or replaced; codes not in it stay as they are."""
        lines, problems = read_fee_file(data, self._icd10)
        with self.ctx.unit_of_work() as uow:
            schedule = _schedule(uow.session, schedule_id)
            if problems:
                return ImportReport(
                    schedule.id,
                    len(lines) + len({p.line for p in problems}),
                    0,
                    0,
                    0,
                    tuple(problems),
                )
            report = import_lines(uow, schedule, lines)
            uow.notify(FeeSchedulesChanged((schedule.id,)))
            return report

    # --- helpers ---------------------------------------------------------------------------

    @property
    def _catalog(self) -> Icd10Catalog:
        return self._icd10 or default_icd10_catalog()

    def _apply(self, uow: UnitOfWork, schedule: FeeSchedule, data: FeeScheduleInput) -> None:
        session = uow.session
        name = " ".join(data.name.split())
        if not name:
            raise DomainError("Name the fee schedule (for example “Self-pay” or the payer's name).")
        if len(name) > MAX_NAME:
            raise DomainError(f"Keep the name under {MAX_NAME} characters.")
        clash = session.scalar(
            select(FeeSchedule.name).where(
                func.lower(FeeSchedule.name) == name.lower(),
                FeeSchedule.deleted_at.is_(None),
                FeeSchedule.id != (schedule.id or ""),
            )
        )
        if clash:
            raise DomainError(f"There is already a fee schedule named {clash}.")
        if data.payer_id is not None:
            payer = session.get(Payer, data.payer_id)
            if payer is None or payer.deleted_at is not None:
                raise DomainError("Choose one of the practice's payers.")
            if data.is_default:
                raise DomainError(
                    "The default schedule prices self-pay visits; it cannot belong to a payer."
                )
        if data.is_default and not data.active:
            raise DomainError("The default fee schedule must be in use (active).")
        if data.is_default:
            for other in session.scalars(
                select(FeeSchedule).where(
                    FeeSchedule.is_default.is_(True),
                    FeeSchedule.deleted_at.is_(None),
                    FeeSchedule.id != (schedule.id or ""),
                )
            ):
                other.is_default = False  # one default at a time
                uow.audit(
                    AuditEntry("update", CATEGORY, entity_id=other.id, detail="no longer default")
                )
        schedule.name = name
        schedule.payer_id = data.payer_id
        schedule.is_default = data.is_default
        schedule.effective_on = data.effective_on
        schedule.active = data.active

    def _written(self, uow: UnitOfWork, action: str, schedule: FeeSchedule) -> FeeScheduleView:
        uow.session.flush()
        uow.audit(AuditEntry(action, CATEGORY, entity_id=schedule.id, detail=schedule.name))
        uow.notify(FeeSchedulesChanged((schedule.id,)))
        return _schedule_views(uow.session, [schedule])[0]


def import_lines(uow: UnitOfWork, schedule: FeeSchedule, lines: list[FeeLine]) -> ImportReport:
    """Write checked lines into `schedule` and audit the import (the caller commits)."""
    added = updated = unchanged = 0
    for line in lines:
        action = _upsert(uow.session, schedule, line.item)[1]
        added += action == "create"
        updated += action == "update"
        unchanged += action == "none"
    uow.session.flush()
    detail = f"{added} added, {updated} changed, {unchanged} unchanged"
    uow.audit(AuditEntry("import", CATEGORY, entity_id=schedule.id, detail=detail))
    return ImportReport(schedule.id, len(lines), added, updated, unchanged, ())


def seed_demo_fee_schedule(ctx: AppContext) -> str:
    """The demo practice's default "Self-pay" schedule from resources/billing (demo only:
    a new practice starts with none and is asked to import its own)."""
    lines, problems = read_fee_file(DEMO_FEE_FILE.read_bytes())
    if problems:  # our own file: a problem here is a bug in it
        raise ValueError(f"{DEMO_FEE_FILE.name}: {problems[0]}")
    with ctx.unit_of_work() as uow:
        schedule = FeeSchedule(name=DEMO_SCHEDULE_NAME, is_default=True, active=True)
        uow.session.add(schedule)
        uow.session.flush()
        uow.audit(AuditEntry("create", CATEGORY, entity_id=schedule.id, detail="demo"))
        import_lines(uow, schedule, lines)
        return schedule.id


def _upsert(
    session: Session, schedule: FeeSchedule, line: FeeItemInput
) -> tuple[FeeScheduleItem, str]:
    system = rules.code_system_of(line.code)
    assert system is not None  # checked by the caller
    item = session.scalars(
        select(FeeScheduleItem).where(
            FeeScheduleItem.schedule_id == schedule.id,
            FeeScheduleItem.code == line.code,
            FeeScheduleItem.deleted_at.is_(None),
        )
    ).first()
    wanted = (line.description, line.price_cents, line.units, line.default_icd10, True)
    if item is None:
        item = FeeScheduleItem(schedule_id=schedule.id, code_system=system, code=line.code)
        session.add(item)
        action = "create"
    elif (
        item.description,
        item.price_cents,
        item.default_units,
        item.default_icd10,
        item.active,
    ) == wanted:
        return item, "none"
    else:
        action = "update"
    item.description, item.price_cents, item.default_units, item.default_icd10, item.active = wanted
    return item, action


def _schedule(session: Session, schedule_id: str) -> FeeSchedule:
    schedule = session.get(FeeSchedule, schedule_id)
    if schedule is None or schedule.deleted_at is not None:
        raise NotFound("That fee schedule does not exist.")
    return schedule


def _schedule_views(session: Session, rows: list[FeeSchedule]) -> list[FeeScheduleView]:
    ids = [r.id for r in rows]
    counts = dict(
        session.execute(
            select(FeeScheduleItem.schedule_id, func.count())
            .where(
                FeeScheduleItem.schedule_id.in_(ids),
                FeeScheduleItem.active.is_(True),
                FeeScheduleItem.deleted_at.is_(None),
            )
            .group_by(FeeScheduleItem.schedule_id)
        ).all()
    )
    payer_ids = {r.payer_id for r in rows if r.payer_id}
    payers = dict(
        session.execute(select(Payer.id, Payer.name).where(Payer.id.in_(payer_ids))).all()
    )
    return [
        FeeScheduleView(
            r.id,
            r.version,
            r.name,
            r.payer_id,
            payers.get(r.payer_id) if r.payer_id else None,
            r.is_default,
            r.effective_on,
            r.active,
            int(counts.get(r.id, 0)),
        )
        for r in rows
    ]


def _item_view(item: FeeScheduleItem) -> FeeItemView:
    return FeeItemView(
        item.id,
        item.version,
        item.schedule_id,
        item.code_system,
        item.code,
        item.description,
        item.price_cents,
        item.default_units,
        item.default_icd10,
        item.active,
    )


def _checked_price(cents: int) -> int:
    if not 0 < cents <= rules.MAX_PRICE_CENTS:
        highest = rules.format_cents(rules.MAX_PRICE_CENTS)
        raise ValueError(f"the price must be more than $0.00 and at most {highest}")
    return cents


def _hcpcs_description(code: str) -> str:
    return next((c.description for c in hcpcs_catalog() if c.code == code), "")


def _sentence(reason: str) -> str:
    """A rule's reason ("the price is …") as a sentence for the screen."""
    return reason[:1].upper() + reason[1:] + "."
