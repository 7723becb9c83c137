"""Locking sign-in after wrong passwords (django-axes), in two tiers:

- an account, from one address: SIGN_IN_FAILURE_LIMIT wrong passwords for a username from an
  address lock that username *from that address* for SIGN_IN_COOLOFF
  (`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`). Someone elsewhere cannot keep a
  named account locked: its owner still signs in from their own network;
- an address: ADDRESS_FAILURE_LIMIT wrong passwords from an address within ADDRESS_COOLOFF,
  whatever the usernames (a password spray), lock every sign-in from it until fewer than that
  many remain within ADDRESS_COOLOFF. Counted in axes' failure log, which, unlike its
  attempts, is not cleared after the shorter cool-off; attempts refused by a lock already on
  are not counted.

Axes asks `failure_limit` and `cool_off` (settings AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME) on
every sign-in; a limit of 0 means no attempt is allowed (the address is locked).
`client_address` (AXES_CLIENT_IP_CALLABLE) is the address the nearest trusted proxy saw.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

ADDRESS_LOCKED = 0


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind TRUSTED_PROXIES proxies (each appends the address it saw
    to X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for does) it is the entry the
    outermost one added; anything further left is the client's own claim and is ignored."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    remote: str | None = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:  # not an address: no proxy of ours wrote it
        return remote


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None)
    return address if address is not None else client_address(request)


def address_locked(request: HttpRequest | None) -> bool:
    """Whether the request's address has had ADDRESS_FAILURE_LIMIT wrong passwords within
    ADDRESS_COOLOFF, for any usernames."""
    from axes.models import AccessFailureLog

    address = _address(request)
    if address is None:
        return False
    since = timezone.now() - settings.ADDRESS_COOLOFF
    # Wrong passwords only: attempts refused because a lock was already on (someone trying a
    # locked account again and again) do not count.
    failures = AccessFailureLog.objects.filter(
        ip_address=address, attempt_time__gte=since, locked_out=False
    )
    return failures.count() >= settings.ADDRESS_FAILURE_LIMIT


def failure_limit(request: HttpRequest, credentials: Any = None) -> int:
    """AXES_FAILURE_LIMIT: wrong passwords allowed for a username from this address; none
    at all from a locked address."""
    if address_locked(request):
        return ADDRESS_LOCKED
    return int(settings.SIGN_IN_FAILURE_LIMIT)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME: how long a lock lasts, longer for a locked address."""
    if address_locked(request):
        return settings.ADDRESS_COOLOFF
    return settings.SIGN_IN_COOLOFF
