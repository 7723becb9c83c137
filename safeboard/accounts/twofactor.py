"""Two-factor sign-in: who must use it, and their authenticator devices.

Two factors are required of administrators (staff and superusers) and of everyone who holds
a role that can open restricted records (`partnership.models.RESTRICTED_ROLES`) in any
partnership. The DEMO setting waives it for demo accounts only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeboard.core import tenancy


def requires_two_factor(user: Any) -> bool:
    from safeboard.partnership.models import RESTRICTED_ROLES, RoleAssignment

    if not getattr(user, "is_authenticated", False):
        return False
    if settings.DEMO and getattr(user, "is_demo", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    with tenancy.unscoped():
        return RoleAssignment.objects.filter(
            person__user=user, person__active=True, role__in=list(RESTRICTED_ROLES)
        ).exists()


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up for the user, created if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device
