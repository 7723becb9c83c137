from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the header's link to the person's notifications (on the
    partnership's pages, for its members)."""
    from .notifications import unread_count

    return {"unread_notifications": unread_count(request)}
