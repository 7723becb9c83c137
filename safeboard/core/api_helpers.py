"""Helpers shared by every module's API router."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from ninja.errors import HttpError


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """403 unless the user has `perm` on `obj` (default: the partnership in the path)."""
    target = obj if obj is not None else request.partnership  # type: ignore[attr-defined]
    if not request.user.has_perm(perm, target):
        raise HttpError(403, "You do not have permission to do this")


def get_or_404(queryset: Any, **lookup: Any) -> Any:
    """The object, or 404 (also for another partnership's or agency's object)."""
    try:
        obj = queryset.filter(**lookup).first()
    except OverflowError:  # an id larger than any the database can hold: no such record
        obj = None
    if obj is None:
        raise HttpError(404, "Not found")
    return obj


def apply(instance: Model, data: dict[str, Any]) -> Model:
    for name, value in data.items():
        setattr(instance, name, value)
    return instance
