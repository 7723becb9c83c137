"""User accounts and API tokens. A user signs in; what they may do in each partnership comes
from their person record and roles there (`partnership.access`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest
from django.utils import timezone


class EmailChoice(models.TextChoices):
    """How a person hears of their notifications by email."""

    IMMEDIATE = "immediate", "At once, one email for each"
    DAILY = "daily", "Once a day, in one digest email"


class User(AbstractUser):
    is_demo = models.BooleanField(
        default=False,
        help_text="A demo sign-in: two-factor is waived for it only while the DEMO setting is on.",
    )
    notification_email = models.CharField(
        "email me about notifications",
        max_length=10,
        choices=EmailChoice.choices,
        default=EmailChoice.IMMEDIATE,
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        # How pages name a user to other members: never by username, which only those who
        # manage sign-ins see (the business unit's administrators; the user on their account
        # page). A sign-in made without a name (on the command line) is "Unnamed user".
        return self.get_full_name() or "Unnamed user"

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        # A new password ends every API token of the sign-in (revoked when the user is saved).
        self._sb_password_changed = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        changed = getattr(self, "_sb_password_changed", False) and self.pk is not None
        super().save(*args, **kwargs)
        self._sb_password_changed = False
        if changed:
            ApiToken.revoke_all(self, "the password was changed")

    if TYPE_CHECKING:

        def is_verified(self) -> bool:
            """Set on each request by django-otp: signed in with a second factor."""


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in user, for typing."""

    user: User


TOKEN_PREFIX = "sbt"  # noqa: S105 (a label, not a secret)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


READ = "read"
# The longest a token may live: every token expires.
MAX_TOKEN_DAYS = 365


class ApiToken(models.Model):
    """A personal token for scripts and agency systems. Only its hash is stored: the key is
    shown once, when it is created.

    A token reads whatever its user may read; it writes only in the modules its `scopes` name
    (a module's label, e.g. `performance`), and only what its user may write. It is revoked
    when its user's password or second factor is reset, and when they gain a role that needs
    two-factor sign-in; `revoked_reason` says why."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    lookup = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    scopes = models.JSONField(
        default=list,
        blank=True,
        help_text="Modules the token may write in (their labels); empty: read only.",
    )
    issued_without_two_factor = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made while its user needed no second factor: it ends when they need one.",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def issue(
        cls,
        user: User,
        name: str,
        days: int = 90,
        scopes: list[str] | tuple[str, ...] = (),
    ) -> tuple[ApiToken, str]:
        """Create a token and return it with its key (the only time the key is known)."""
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise ValueError(f"A token lives from 1 to {MAX_TOKEN_DAYS} days")
        from .twofactor import requires_two_factor

        lookup = secrets.token_hex(8)
        key = f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            user=user,
            name=name,
            lookup=lookup,
            key_hash=_hash(key),
            expires_at=timezone.now() + timedelta(days=days),
            scopes=sorted(set(scopes) - {READ}),
            issued_without_two_factor=not requires_two_factor(user),
        )
        return token, key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The token whose key this is, usable or not; None for a key that is not one."""
        parts = key.split("_")
        if len(parts) < 3 or parts[0] != TOKEN_PREFIX:
            return None
        token = cls.objects.select_related("user").filter(lookup=parts[1]).first()
        if token is None or not secrets.compare_digest(token.key_hash, _hash(key)):
            return None
        return token

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)

    def may_write(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @classmethod
    def revoke_all(cls, user: User, reason: str) -> int:
        """Revoke every usable token of the user, saying why (each in the audit trail)."""
        tokens = list(cls.objects.filter(user=user).usable())
        for token in tokens:
            token.revoke(reason)
        return len(tokens)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self, reason: str = "revoked by its owner") -> None:
        self.revoked_at = timezone.now()
        self.revoked_reason = reason[:200]
        self.save(update_fields=["revoked_at", "revoked_reason"])
