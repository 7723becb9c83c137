"""Test data builders. Each runs unscoped (it is setting up, not serving a request)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from safeboard.accounts.models import ApiToken, User
from safeboard.core import tenancy
from safeboard.partnership import services
from safeboard.partnership.models import (
    Agency,
    Group,
    GroupKind,
    Meeting,
    Partnership,
    Person,
    Sector,
)

PASSWORD = "correct-horse-battery"


def partnership(slug: str = "alpha", name: str | None = None, la_number: int = 909) -> Partnership:
    return services.create_partnership(
        slug=slug,
        name=name or f"{slug.title()} Partnership",
        la_number=la_number,
        region="North West",
    )


def agency(
    p: Partnership,
    short: str = "POL",
    name: str | None = None,
    sector: str = Sector.POLICE,
    **kwargs: Any,
) -> Agency:
    with tenancy.unscoped():
        return services.save(
            Agency(short_name=short, name=name or f"{short} agency", sector=sector, **kwargs), p
        )


def user(
    username: str,
    *,
    p: Partnership | None = None,
    roles: list[tuple[str, Agency | None]] | None = None,
    agency: Agency | None = None,
    **kwargs: Any,
) -> User:
    u = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **kwargs
    )
    if p is not None:
        with tenancy.unscoped():
            person = services.save(
                Person(name=username.title(), user=u, agency=agency, email=u.email), p
            )
            for role, role_agency in roles or []:
                services.assign_role(person, role, role_agency)
    return u


def person(p: Partnership, name: str, agency: Agency | None = None) -> Person:
    with tenancy.unscoped():
        return services.save(Person(name=name, agency=agency), p)


def group(p: Partnership, name: str = "Board", kind: str = GroupKind.BOARD, **kwargs: Any) -> Group:
    with tenancy.unscoped():
        return services.save(Group(name=name, kind=kind, **kwargs), p)


def meeting(g: Group, when: date, **kwargs: Any) -> Meeting:
    with tenancy.unscoped():
        return services.save(Meeting(group=g, date=when, **kwargs), g.partnership)


def totp_device(u: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=u, name="app", confirmed=True)


def api_key(u: User, *scopes: str, name: str = "tests") -> str:
    """An API token's key for `u`, writing in `scopes` (every module with an API when none
    are named). A user whose roles need two factors gets a confirmed authenticator first, as
    they would have had to set one up to use a token."""
    from safeboard.accounts.forms import write_scopes
    from safeboard.accounts.twofactor import confirmed_device, requires_two_factor

    if requires_two_factor(u) and confirmed_device(u) is None:
        totp_device(u)
    chosen = scopes or tuple(label for label, _ in write_scopes())
    return ApiToken.issue(u, name, scopes=chosen)[1]


def person_of(u: User, p: Partnership) -> Person:
    with tenancy.unscoped():
        return Person.objects.get(user=u, partnership=p)
