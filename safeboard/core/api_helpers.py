"""Helpers shared by every module's API router."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from django.db.models import Model
from django.http import HttpRequest
from ninja import Path, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, ValidationInfo, field_validator

# A record's id in an API path: a number the database can hold, else 422 (never a 500 or a
# permission answer that depends on the number).
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """403 unless the user has `perm` on `obj` (default: the partnership in the path)."""
    target = obj if obj is not None else request.partnership  # type: ignore[attr-defined]
    if not request.user.has_perm(perm, target):
        raise HttpError(403, "You do not have permission to do this")


def financial_year(text: str) -> Any:
    """The financial year a query names (`2016-17`), or 400 saying how to write one."""
    from .periods import PeriodError, parse_period

    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    if period.kind != "fy":
        raise HttpError(400, "Give a financial year, e.g. 2016-17")
    return period


class TableOut(Schema):
    """One table of figures: its file's name, its header and its rows (aggregate figures,
    already under disclosure control where the reader needs it)."""

    name: str
    header: list[str]
    rows: list[list[Any]]


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


class PatchSchema(Schema):
    """The body of every PATCH: each field may be left out (the record keeps its value), but
    may be null only when it is in `nullable` (a value the record may lack, such as an end
    date: null clears it). Null for any other field is refused, 422 naming the field, before
    the record is touched. Every PATCH body inherits this (tests/api/test_patch_null.py)."""

    nullable: ClassVar[frozenset[str]] = frozenset()
    model_config = ConfigDict(json_schema_extra=lambda schema, model: _not_null(schema, model))

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError(f"{info.field_name} may not be null: leave it out to keep its value")
        return value


def _not_null(schema: dict[str, Any], model: Any) -> None:
    """The OpenAPI document says what PatchSchema accepts: null only for `nullable` fields."""
    for name, prop in schema.get("properties", {}).items():
        if name in model.nullable:
            continue
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            prop.update(options[0])
        elif options:
            prop["anyOf"] = options
        if "default" in prop and prop["default"] is None:
            del prop["default"]
