"""Who a user is in a partnership: their person record and roles. The one place that turns
role assignments into capabilities; `rules.py` predicates and views ask it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from safeboard.accounts.models import User
from safeboard.core import modules, tenancy
from safeboard.core.sensitivity import Sensitivity

from .models import Partnership, Person, RoleAssignment
from .roles import REGISTER_KEEPERS, Role

# Roles whose holders see everything at the partnership tier and every agency's drafts.
PARTNERSHIP_WIDE_ROLES = frozenset({Role.BUSINESS_UNIT_ADMIN, Role.ANALYST})
# The permission every member of a partnership has: name it where a page is for everyone.
MEMBER = "partnership.view"


def two_factor_roles() -> frozenset[str]:
    """Roles whose holders must sign in with two factors: the business unit's administrators,
    every role that opens a restricted register, and the roles that keep one."""
    return frozenset({Role.BUSINESS_UNIT_ADMIN}) | modules.register_roles() | REGISTER_KEEPERS


def holds_two_factor_role(user: Any) -> bool:
    """The user holds, in any partnership, a role that needs two-factor sign-in."""
    with tenancy.unscoped():
        return RoleAssignment.objects.filter(
            person__user=user, person__active=True, role__in=sorted(two_factor_roles())
        ).exists()


@dataclass(frozen=True)
class Membership:
    """A user's standing in one partnership."""

    partnership: Partnership
    person: Person
    roles: frozenset[str]
    agency_roles: dict[str, frozenset[int]] = field(default_factory=dict)

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_admin(self) -> bool:
        return Role.BUSINESS_UNIT_ADMIN in self.roles

    @property
    def reads_partnership_records(self) -> bool:
        """Every member but one who is only an agency contributor: they see their agency's
        returns and no more (the domain brief's "nothing else to see")."""
        return not (self.roles and self.roles <= {Role.AGENCY_CONTRIBUTOR})

    @property
    def is_read_only(self) -> bool:
        """Holds only reading roles: board member or scrutiny."""
        return self.roles <= {Role.BOARD_MEMBER, Role.SCRUTINY}

    def agencies_for(self, role: str) -> frozenset[int]:
        return self.agency_roles.get(role, frozenset())

    @property
    def agency_ids(self) -> frozenset[int]:
        """Agencies whose agency-tier material this person may see: their own, and those they
        contribute for or lead."""
        ids: set[int] = set()
        for agencies in self.agency_roles.values():
            ids |= agencies
        if self.person.agency_id:
            ids.add(self.person.agency_id)
        return frozenset(ids)

    @property
    def sees_all_agencies(self) -> bool:
        return bool(self.roles & PARTNERSHIP_WIDE_ROLES)

    def may_open(self, register: str | None) -> bool:
        """May this member open restricted register `register`? Only through a role the
        register names; an unknown register (a module not installed) opens to nobody."""
        found = modules.registers().get(register or "")
        return found is not None and bool(self.roles & found.roles)

    @property
    def opens_any_register(self) -> bool:
        return any(self.may_open(key) for key in modules.registers())

    def can_read(
        self, sensitivity: str, agency_id: int | None = None, register: str | None = None
    ) -> bool:
        """The sensitivity rule: may this member read a record of this tier? A restricted
        record opens only to the roles of its register."""
        if sensitivity in (Sensitivity.PUBLIC, Sensitivity.PARTNERSHIP):
            return True
        if sensitivity == Sensitivity.AGENCY:
            return self.sees_all_agencies or (
                agency_id is not None and agency_id in self.agency_ids
            )
        if sensitivity == Sensitivity.RESTRICTED:
            return self.may_open(register)
        return False

    def can_read_record(self, record: Any) -> bool:
        """The sensitivity rule for a record with `sensitivity`, `agency_id`, `partnership`
        and, when restricted, `register`. A record another partnership holds (a paper of a
        joint group's meeting) is read at the shared tiers only: its agency and restricted
        material stay with its partnership."""
        if record.partnership_id != self.partnership.pk and record.sensitivity not in (
            Sensitivity.PUBLIC,
            Sensitivity.PARTNERSHIP,
        ):
            return False
        return self.can_read(
            record.sensitivity,
            getattr(record, "agency_id", None),
            getattr(record, "register", None),
        )


class PartnershipRequest(HttpRequest):
    """A request inside a partnership (`partnership_view`, or the API's auth), for typing."""

    partnership: Partnership
    member: Membership
    user: User


def _load(user: Any, partnership: Partnership) -> Membership | None:
    with tenancy.partnership_scope(partnership):
        person = (
            Person.objects.filter(partnership=partnership, user=user, active=True)
            .select_related("agency")
            .first()
        )
        if person is None:
            return None
        roles: set[str] = set()
        agency_roles: dict[str, set[int]] = {}
        for role, agency_id in RoleAssignment.objects.filter(person=person).values_list(
            "role", "agency_id"
        ):
            roles.add(role)
            if agency_id is not None:
                agency_roles.setdefault(role, set()).add(agency_id)
    return Membership(
        partnership=partnership,
        person=person,
        roles=frozenset(roles),
        agency_roles={role: frozenset(ids) for role, ids in agency_roles.items()},
    )


def membership(user: Any, partnership: Partnership) -> Membership | None:
    """The user's membership of `partnership`, or None. Cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_sb_memberships", {})
    if partnership.pk not in cache:
        cache[partnership.pk] = _load(user, partnership)
    return cache[partnership.pk]


def forget_memberships(user: Any) -> None:
    """Drop cached memberships after roles change."""
    user.__dict__.pop("_sb_memberships", None)


def partnerships_of(user: Any) -> list[Partnership]:
    """Partnerships in which the user holds an active person record."""
    if not getattr(user, "is_authenticated", False):
        return []
    with tenancy.unscoped():
        ids = Person.objects.filter(user=user, active=True).values("partnership_id")
        return list(Partnership.objects.filter(pk__in=ids))


def enter_partnership(request: HttpRequest, slug: str) -> Membership:
    """Resolve the partnership in the URL for this request: 404 unless the user is a member.

    Activates the partnership scope for the rest of the request (`TenancyMiddleware` resets
    it when the response is done) and sets `request.partnership` and `request.member`.
    """
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise Http404("No such partnership")
    member = membership(request.user, partnership)
    if member is None:
        raise Http404("No such partnership")
    tenancy.activate(partnership)
    request.partnership = partnership  # type: ignore[attr-defined]
    request.member = member  # type: ignore[attr-defined]
    return member


def partnership_view(*, perm: str) -> Any:
    """Decorate a view under `/p/<partnership>/`: enter the partnership (404 for
    non-members), then require `perm` on the partnership (403). Every view names its
    permission: `MEMBER` where every member may see the page. Views that act on one record
    check the record's own permission too.

    The wrapped view is called without the `partnership` URL argument; it reads
    `request.partnership` and `request.member`.
    """

    def decorator(fn: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(fn)
        def wrapper(
            request: HttpRequest, partnership: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            enter_partnership(request, partnership)
            if not request.user.has_perm(perm, request.partnership):  # type: ignore[attr-defined]
                raise PermissionDenied
            return fn(request, *args, **kwargs)

        wrapper.sb_perm = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator
