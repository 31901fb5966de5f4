"""The shape of the permission table (test_permissions.py) and the rows kept beside it.

Each capability may keep its rows in its own module `permission_cases_<area>.py` with
`CASES: list[UseCase]` and `SERVICES: list[type]`; the table collects them all.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import tests.services
from app.models import Role
from app.services.context import AppContext
from app.services.permissions import Permission

ADMIN_ONLY = frozenset({Role.ADMIN})
EVERYONE = frozenset(Role)
PATIENT_DESK = frozenset({Role.ADMIN, Role.PHYSICIAN, Role.NURSE, Role.RECEPTIONIST})
PAYER_DESK = frozenset({Role.ADMIN, Role.RECEPTIONIST, Role.BILLER})
CLINICAL = frozenset({Role.PHYSICIAN, Role.NURSE})
PHYSICIAN_ONLY = frozenset({Role.PHYSICIAN})


@dataclass(frozen=True)
class Target:
    """Ids a use case acts on, looked up in the test's practice (never one of the actors)."""

    user_id: str
    patient_id: str  # an adult with a primary coverage
    duplicate_id: str  # a second record of the same person, for merge
    payer_id: str
    coverage_id: str


Call = Callable[[AppContext, Target], object]


@dataclass(frozen=True)
class UseCase:
    name: str  # "Service.method": must match the method it calls
    permission: Permission  # what the method declares
    allowed: frozenset[Role]  # who may do it: every other role is refused
    call: Call
    prepare: Call | None = None  # run first (as `prepare_as`), so that the call makes sense
    audited: bool = True  # an allowed call writes an audit event
    prepare_as: str = "admin"  # the demo user who prepares (charting needs a clinician)


def more_cases() -> tuple[list[UseCase], list[type]]:
    """The rows and services of every `permission_cases_*` module beside this one."""
    cases: list[UseCase] = []
    services: list[type] = []
    for module_info in sorted(pkgutil.iter_modules(tests.services.__path__), key=lambda m: m.name):
        if module_info.name.startswith("permission_cases_"):
            module = importlib.import_module(f"tests.services.{module_info.name}")
            cases.extend(module.CASES)
            services.extend(module.SERVICES)
    return cases, services
