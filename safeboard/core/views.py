"""Pages outside any partnership: the start page, accessibility statement, health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from safeboard.partnership.access import partnerships_of


def home(request: HttpRequest) -> HttpResponse:
    """Go straight to the user's partnership, or let them choose among several."""
    partnerships = partnerships_of(request.user)
    if len(partnerships) == 1:
        return redirect(partnerships[0].get_absolute_url())
    return render(request, "core/choose_partnership.html", {"partnerships": partnerships})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
