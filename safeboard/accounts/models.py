"""User accounts and API tokens. A user signs in; what they may do in each partnership comes
from their person record and roles there (`partnership.access`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    is_demo = models.BooleanField(
        default=False,
        help_text="A demo sign-in: two-factor is waived for it only while the DEMO setting is on.",
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        # How pages name a user to other members: never by username, which only those who
        # manage sign-ins see (the business unit's administrators; the user on their account
        # page). A sign-in made without a name (on the command line) is "Unnamed user".
        return self.get_full_name() or "Unnamed user"

    if TYPE_CHECKING:

        def is_verified(self) -> bool:
            """Set on each request by django-otp: signed in with a second factor."""


TOKEN_PREFIX = "sbt"  # noqa: S105 (a label, not a secret)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for scripts and agency systems. Only its hash is stored: the key is
    shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    lookup = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def issue(cls, user: User, name: str, days: int | None = 365) -> tuple[ApiToken, str]:
        """Create a token and return it with its key (the only time the key is known)."""
        lookup = secrets.token_hex(8)
        key = f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
        expires = timezone.now() + timedelta(days=days) if days else None
        token = cls.objects.create(
            user=user, name=name, lookup=lookup, key_hash=_hash(key), expires_at=expires
        )
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        parts = key.split("_")
        if len(parts) < 3 or parts[0] != TOKEN_PREFIX:
            return None
        token = cls.objects.usable().select_related("user").filter(lookup=parts[1]).first()
        if token is None or not secrets.compare_digest(token.key_hash, _hash(key)):
            return None
        if not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    def revoke(self, when: datetime | None = None) -> None:
        self.revoked_at = when or timezone.now()
        self.save(update_fields=["revoked_at"])
