"""Two-factor sign-in: who must use it, and their authenticator devices.

Two factors are required of installation administrators (staff and superusers) and of anyone
a registered rule names: the partnership kernel names everyone who holds a role that opens a
restricted register, or administers a partnership, in any partnership. The DEMO setting waives
it for demo accounts only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

_rules: list[Callable[[Any], bool]] = []


def require_two_factor_when(rule: Callable[[Any], bool]) -> None:
    """Register `rule(user) -> bool`: when true, the user must sign in with two factors."""
    if rule not in _rules:
        _rules.append(rule)


def requires_two_factor(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if settings.DEMO and getattr(user, "is_demo", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(rule(user) for rule in _rules)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up for the user, created if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device
