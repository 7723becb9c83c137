"""Account operations a business unit administrator performs for the people of their
partnership: give someone a sign-in, send a link to set a new password, and reset two-factor
sign-in when a phone is lost. Each is recorded in the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeboard.core.errors import ServiceError

from .models import ApiToken, User


def password_link(user: User) -> str:
    """A one-time link to set a password, valid for PASSWORD_RESET_TIMEOUT (3 days)."""
    path = reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def _guard(user: User) -> None:
    if user.is_superuser or user.is_staff:
        raise ServiceError("Administrators of the installation are managed on the command line")


def _send_link(user: User, partnership_name: str, *, first: bool) -> None:
    if not user.email:
        raise ServiceError("Record the person’s email address first: the link is sent there")
    subject = "Your Safeboard sign-in" if first else "Set a new Safeboard password"
    intro = (
        f"You have been given a sign-in to Safeboard for {partnership_name}, with the "
        f"username {user.username}."
        if first
        else f"A new password has been requested for your Safeboard sign-in ({user.username})."
    )
    send_mail(
        subject,
        f"{intro}\n\nSet your password here (the link works once, for three "
        f"days):\n{password_link(user)}\n\nIf you did not expect this email, tell your "
        "partnership's business unit.",
        None,
        [user.email],
    )


@transaction.atomic
def create_sign_in(*, username: str, email: str, full_name: str, invited_to: str) -> User:
    """A new sign-in with no password yet: a link to set one is emailed to `email`.
    `invited_to` names the partnership in the email."""
    username = username.strip()
    if not username:
        raise ServiceError("Choose a username")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(f"The username ‘{username}’ is taken")
    first, _, last = full_name.partition(" ")
    user = User(username=username, email=email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _send_link(user, invited_to, first=True)
    return user


def send_password_link(user: User, partnership_name: str) -> None:
    _guard(user)
    _send_link(user, partnership_name, first=False)


@transaction.atomic
def reset_two_factor(user: User) -> int:
    """Remove the user's authenticator apps: they set up a new one at their next sign-in.
    Returns how many were removed."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    ApiToken.revoke_all(user, "two-factor sign-in was reset")
    return deleted


def guard(user: User) -> None:
    """Refuse to manage an installation administrator's sign-in from a partnership."""
    _guard(user)
