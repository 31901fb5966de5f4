"""AppContext (who, when, where) and the unit of work every use case runs in."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.models.user import Role
from app.services import audit_chain
from app.services.audit_chain import AuditEntry
from app.services.bus import EventBus
from app.services.clock import Clock, SystemClock
from app.services.errors import ConcurrentChange, PermissionDenied
from app.services.permissions import Permission, role_allows

if TYPE_CHECKING:
    from app.storage.vault import Vault


@dataclass(frozen=True)
class Actor:
    """The signed-in person, as plain data (safe to pass between threads)."""

    user_id: str
    username: str
    display_name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return role_allows(self.role, permission)


@dataclass
class AppContext:
    """Everything a service needs, passed in (no module-level current user or session)."""

    session_factory: sessionmaker[Session]
    device_id: str
    vault: Vault
    actor: Actor | None = None
    clock: Clock = field(default_factory=SystemClock)
    bus: EventBus = field(default_factory=EventBus)

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One use case, one transaction: commit once at the end, or roll everything back."""
        session = self.session_factory()
        session.info.update(
            device_id=self.device_id,
            user_id=self.actor.user_id if self.actor else None,
            clock=self.clock.now,
        )
        uow = UnitOfWork(session, self)
        try:
            yield uow
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            uow.run_rollback_hooks()
            raise ConcurrentChange(
                "Someone else changed this record while you were editing it. "
                "Reload it and make your change again."
            ) from exc
        except BaseException:
            session.rollback()
            uow.run_rollback_hooks()
            raise
        finally:
            session.close()
        for notice in uow.notices:
            self.bus.publish(notice)

    def close(self) -> None:
        """Sign out: drop the engine (its connections hold the key)."""
        self.actor = None
        bind = self.session_factory.kw.get("bind")
        if bind is not None:
            bind.dispose()

    def require(self, permission: Permission) -> Actor:
        """The actor, if they may do this; otherwise audit the refusal and raise."""
        actor = self.actor
        if actor is not None and actor.can(permission):
            return actor
        with self.unit_of_work() as uow:
            uow.audit(AuditEntry("access", permission.value, outcome="denied"))
        who = actor.role.label if actor else "Nobody signed in"
        raise PermissionDenied(f"{who} accounts may not do this ({permission.value}).")


class UnitOfWork:
    def __init__(self, session: Session, ctx: AppContext) -> None:
        self.session = session
        self.ctx = ctx
        self.notices: list[object] = []
        self._rollback_hooks: list[Callable[[], None]] = []

    def audit(self, entry: AuditEntry) -> None:
        actor = self.ctx.actor
        audit_chain.append(
            self.session,
            entry,
            occurred_at=self.ctx.clock.now(),
            user_id=actor.user_id if actor else None,
            user_name=actor.username if actor else None,
            device_id=self.ctx.device_id,
        )

    def notify(self, notice: object) -> None:
        """Publish `notice` on the bus after the transaction commits."""
        self.notices.append(notice)

    def on_rollback(self, hook: Callable[[], None]) -> None:
        """Undo a side effect outside the database (the key-slot file) if the commit fails."""
        self._rollback_hooks.append(hook)

    def run_rollback_hooks(self) -> None:
        for hook in reversed(self._rollback_hooks):
            hook()


class HasContext(Protocol):
    ctx: AppContext


P = ParamSpec("P")
R = TypeVar("R")


def requires(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a service method as a use case that needs `permission`; checked before any work."""

    def decorate(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            service: Any = args[0]
            service.ctx.require(permission)
            return method(*args, **kwargs)

        checked.required_permission = permission  # type: ignore[attr-defined]
        return checked

    return decorate
