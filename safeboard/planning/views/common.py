"""Helpers shared by the planning views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse

from safeboard.core.tables import table_response
from safeboard.partnership.access import PartnershipRequest

MANAGE = "planning.manage"
VIEW = "planning.view"


def url(name: str, request: PartnershipRequest, **kwargs: Any) -> str:
    return reverse(f"planning:{name}", kwargs={"partnership": request.partnership.slug, **kwargs})


def require(request: PartnershipRequest, perm: str, obj: Any = None) -> None:
    """403 unless the user has `perm` on `obj` (default: the partnership)."""
    if not request.user.has_perm(perm, obj if obj is not None else request.partnership):
        raise PermissionDenied


def can(request: PartnershipRequest, perm: str, obj: Any = None) -> bool:
    return request.user.has_perm(perm, obj if obj is not None else request.partnership)


def person(request: PartnershipRequest) -> Any:
    return request.member.person


def spreadsheet(headers: list[str], rows: list[list[Any]], fmt: str, name: str) -> HttpResponse:
    """A CSV or XLSX download (core.tables: formulas never run; a workbook names its columns
    in words and shows a status column's ratings in their colours)."""
    return table_response(headers, rows, fmt, name, rag_columns=("status",))
