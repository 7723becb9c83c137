from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import nav_for


def safeboard(request: HttpRequest) -> dict[str, Any]:
    return {
        "partnership": getattr(request, "partnership", None),
        "member": getattr(request, "member", None),
        "partnership_nav": nav_for(request),
        "DEMO": settings.DEMO,
    }
