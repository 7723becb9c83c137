"""Partnership scoping that fails closed.

A partnership is Safeboard's tenant: every record belongs to one. Models that hold a
partnership's records use `PartnershipManager`, whose queries need an active scope:

    with partnership_scope(p):      # rows of p, and arrangements shared with p
        Agency.objects.all()
    with unscoped():                # every partnership: commands, admin, migrations
        Agency.objects.all()

With neither, running a query raises `ScopeError`, so a view or task that forgot its
partnership cannot return another partnership's rows. Web requests get their scope from
the URL (`/p/<slug>/...`, see `core.middleware`); API endpoints from `partnership_context`.

Following a foreign key from a row already fetched (`meeting.group`) uses Django's base
manager and is not scoped: the row was scoped when it was fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from safeboard.partnership.models import Partnership


class ScopeError(RuntimeError):
    """A partnership-owned model was queried with no partnership scope active."""


class _AllPartnerships:
    def __repr__(self) -> str:
        return "<all partnerships>"


ALL = _AllPartnerships()
_scope: ContextVar[Partnership | _AllPartnerships | None] = ContextVar("sb_scope", default=None)


@contextmanager
def partnership_scope(partnership: Partnership) -> Iterator[Partnership]:
    """Limit partnership-owned queries to `partnership` inside the block."""
    if partnership is None or getattr(partnership, "pk", None) is None:
        raise ScopeError("partnership_scope needs a saved partnership")
    token = _scope.set(partnership)
    try:
        yield partnership
    finally:
        _scope.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    """Lift partnership scoping inside the block. For commands, admin and migrations only."""
    token = _scope.set(ALL)
    try:
        yield
    finally:
        _scope.reset(token)


def current_partnership() -> Partnership | None:
    """The partnership of the active scope, or None when unscoped or no scope is active."""
    scope = _scope.get()
    return None if scope is None or scope is ALL else scope  # type: ignore[return-value]


def activate(partnership: Partnership | _AllPartnerships | None) -> Any:
    """Set the scope until `deactivate(token)`; used by middleware around a request."""
    return _scope.set(partnership)


def deactivate(token: Any) -> None:
    _scope.reset(token)


class PartnershipQuerySet(models.QuerySet):
    """A queryset that refuses to run if it was built outside a partnership scope.

    It may be *built* anywhere (Django builds form field querysets when a module is imported),
    but fetching, counting, updating, deleting or using it as a subquery raises `ScopeError`
    unless it was built inside a scope, and so carries that scope's filter.
    """

    _sb_unscoped: str | None = None

    def _clone(self) -> PartnershipQuerySet:
        clone = super()._clone()  # type: ignore[misc]
        clone._sb_unscoped = self._sb_unscoped
        return clone

    def _check_scope(self) -> None:
        if self._sb_unscoped is not None:
            raise ScopeError(self._sb_unscoped)

    def _fetch_all(self) -> None:
        self._check_scope()
        super()._fetch_all()

    def iterator(self, *args: Any, **kwargs: Any) -> Any:
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        self._check_scope()
        return super().count()

    def exists(self) -> bool:
        self._check_scope()
        return super().exists()

    def contains(self, obj: Any) -> bool:
        self._check_scope()
        return super().contains(obj)

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()

    def explain(self, *args: Any, **kwargs: Any) -> str:
        self._check_scope()
        return super().explain(*args, **kwargs)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        # Used as a subquery (`filter(agency__in=Agency.objects...)`).
        self._check_scope()
        return super().resolve_expression(*args, **kwargs)


class PartnershipManager(models.Manager.from_queryset(PartnershipQuerySet)):  # type: ignore[misc]
    """Default manager of partnership-owned models: filters by the active scope; a query
    built with no scope active raises `ScopeError` when it is run."""

    def get_queryset(self) -> PartnershipQuerySet:
        scope = _scope.get()
        queryset: PartnershipQuerySet = super().get_queryset()
        if scope is None:
            queryset._sb_unscoped = (
                f"{self.model.__name__} was queried outside a partnership scope; "
                "use partnership_scope(p) or, for cross-partnership work, unscoped()"
            )
            return queryset
        if scope is ALL:
            return queryset
        return queryset.filter(self.model.partnership_filter(scope))


class PartnershipOwned(models.Model):
    """A record that belongs to one partnership (the tenant)."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = PartnershipManager()

    class Meta:
        abstract = True

    @classmethod
    def partnership_filter(cls, partnership: Partnership) -> Q:
        """Rows visible in `partnership`'s scope. Shared arrangements widen this."""
        return Q(partnership=partnership)

    def get_additional_data(self) -> dict[str, Any]:
        """Tags audit log entries with the partnership, so each sees only its own trail, and
        with the restricted register of a record that belongs to one (its `register`), so the
        trail shows its title only to those who may open the register."""
        data: dict[str, Any] = {"partnership": self.partnership_id}
        register = getattr(self, "register", None)
        if register:
            data["register"] = register
        return data
