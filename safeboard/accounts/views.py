"""Sign in (password, then a code from an authenticator app where required), sign out,
two-factor setup, password change and personal API tokens."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from safeboard.core.caching import no_store

from .forms import ApiTokenForm, SignInForm, TokenForm
from .models import ApiToken, AuthenticatedRequest, EmailChoice, User
from .twofactor import confirmed_device, pending_device, requires_two_factor

PENDING = "sb_pending_user"
PENDING_BACKEND = "sb_pending_backend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and (user.is_verified() or confirmed_device(user) is None):
        return redirect(_next_url(request))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        request.session.pop(PENDING, None)
        if confirmed_device(user) is not None:
            # Password right; the second factor is still to come. Not signed in yet.
            request.session.cycle_key()
            request.session[PENDING] = user.pk
            request.session[PENDING_BACKEND] = user.backend
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        login(request, user)
        if requires_two_factor(user):
            return redirect("accounts:two-factor-setup")
        return redirect(_next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


def _pending_user(request: HttpRequest) -> tuple[Any, str | None]:
    if request.user.is_authenticated:
        return request.user, None
    pk = request.session.get(PENDING)
    if pk is None:
        return None, None
    return User.objects.filter(pk=pk, is_active=True).first(), request.session.get(PENDING_BACKEND)


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: the code from the user's authenticator app."""
    user, backend = _pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request))
    device = confirmed_device(user)
    if device is None:
        return redirect(
            "accounts:two-factor-setup" if request.user.is_authenticated else "accounts:sign-in"
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            if not request.user.is_authenticated:
                request.session.pop(PENDING, None)
                request.session.pop(PENDING_BACKEND, None)
                login(request, user, backend=backend)
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "token",
            "The code is not right or has expired. Enter the current code from your app"
            if allowed
            else "Too many wrong codes. Wait a minute, then enter the current code",
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Link an authenticator app: show the QR code and secret, confirm with a code."""
    no_store(request)  # the secret is on the page
    user = request.user
    if confirmed_device(user) is not None:
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect("accounts:account")
    device = pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect("home")
        form.add_error(
            "token",
            "The code is not right. Enter the current code from your app"
            if allowed
            else "Too many wrong codes. Wait a minute, then try again",
        )
    qr = segno.make(device.config_url, error="m")
    # The secret in base 32, for apps that cannot scan the code.
    secret_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "secret": " ".join(secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4)),
            "required": requires_two_factor(user),
        },
    )


@login_not_required
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Set a password from a one-time link (a new sign-in, or a reset)."""
    from axes.utils import reset as axes_reset
    from django.contrib.auth.forms import SetPasswordForm
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/set_password.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        axes_reset(username=user.username)
        messages.success(request, "Your password has been set. Sign in with it now.")
        return redirect("accounts:sign-in")
    return render(request, "accounts/set_password.html", {"form": form, "username": user.username})


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("accounts:sign-in")


def account(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_device": confirmed_device(user) is not None,
            "two_factor_required": requires_two_factor(user),
            "token_count": ApiToken.objects.filter(user=user).usable().count(),
            "email_choices": EmailChoice.choices,
        },
    )


@require_POST
def notification_email(request: AuthenticatedRequest) -> HttpResponse:
    """The person's choice: notifications emailed at once, or in one email a day."""
    choice = request.POST.get("notification_email", "")
    if choice not in EmailChoice.values:
        messages.error(request, "Choose how to be emailed about notifications")
    else:
        request.user.notification_email = choice
        request.user.save(update_fields=["notification_email"])
        messages.success(
            request, f"Notifications will be emailed {EmailChoice(choice).label.lower()}."
        )
    return redirect(reverse("accounts:account") + "#notifications")


def password_change(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


def tokens(request: AuthenticatedRequest) -> HttpResponse:
    no_store(request)  # a new token's key is shown once, on this page
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _, new_key = ApiToken.issue(
            request.user,
            form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            scopes=form.cleaned_data["scopes"],
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": timezone.now(),
        },
    )


@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoke()
        messages.success(request, f"The token ‘{token.name}’ has been revoked.")
    return redirect("accounts:tokens")
