from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.apps import apps

from safeboard.core import tenancy
from safeboard.core.tenancy import PartnershipManager, ScopeError
from safeboard.partnership.models import Agency, Group, GroupKind, Meeting, Partnership

from .. import factories as f

# Models that are deliberately not partnership-owned, each with its reason.
NOT_TENANT_OWNED = {
    "accounts.User": "a person may belong to several partnerships",
    "accounts.ApiToken": "belongs to a user, not a partnership",
    "partnership.Partnership": "the tenant itself",
    "performance.ComparatorArea": "national comparators belong to the installation",
    "performance.Measure": "national comparators belong to the installation",
    "performance.ComparatorPeriod": "national comparators belong to the installation",
    "performance.ComparatorValue": "national comparators belong to the installation",
    "performance.StatisticalNeighbour": "national comparators belong to the installation",
    "performance.ComparatorImport": "national comparators belong to the installation",
    "child_deaths.NationalFigure": "England's published percentages belong to the installation",
}


def safeboard_models() -> list[Any]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("safeboard.") and not m._meta.auto_created
    ]


def test_every_safeboard_model_is_scoped_or_explained() -> None:
    for model in safeboard_models():
        label = model._meta.label
        if label in NOT_TENANT_OWNED:
            continue
        assert isinstance(model._default_manager, PartnershipManager), (
            f"{label} must use PartnershipManager (inherit PartnershipOwned), or be listed "
            "in NOT_TENANT_OWNED with a reason"
        )


@pytest.mark.django_db
def test_every_scoped_model_raises_outside_a_scope(alpha: Partnership) -> None:
    for model in safeboard_models():
        if model._meta.label in NOT_TENANT_OWNED:
            continue
        with pytest.raises(ScopeError):
            list(model.objects.all())
        with pytest.raises(ScopeError):
            model.objects.count()
        with pytest.raises(ScopeError):
            model.objects.exists()


@pytest.mark.django_db
def test_an_unscoped_queryset_cannot_hide_in_a_subquery(alpha: Partnership) -> None:
    unscoped_ids = Agency.objects.values("pk")  # built outside any scope
    with tenancy.partnership_scope(alpha), pytest.raises(ScopeError):
        list(Agency.objects.filter(pk__in=unscoped_ids))


@pytest.mark.django_db
def test_a_scope_returns_only_its_partnership(alpha: Partnership, beta: Partnership) -> None:
    f.agency(alpha, "A1")
    f.agency(beta, "B1")
    with tenancy.partnership_scope(alpha):
        assert [a.short_name for a in Agency.objects.all()] == ["A1"]
        assert Agency.objects.filter(short_name="B1").first() is None
    with tenancy.partnership_scope(beta):
        assert [a.short_name for a in Agency.objects.all()] == ["B1"]
    with tenancy.unscoped():
        assert Agency.objects.count() == 2


@pytest.mark.django_db
def test_a_queryset_built_outside_a_scope_stays_unusable_inside_one(alpha: Partnership) -> None:
    built_outside = Agency.objects.all()
    with tenancy.partnership_scope(alpha), pytest.raises(ScopeError):
        list(built_outside)


@pytest.mark.django_db
def test_a_joint_group_is_visible_to_the_partnerships_sharing_it(
    alpha: Partnership, beta: Partnership
) -> None:
    gamma = f.partnership("gamma", la_number=888)
    joint = f.group(alpha, "Joint child death overview panel", GroupKind.PANEL)
    f.group(alpha, "Alpha board")
    joint.shared_with.add(beta)
    meeting = f.meeting(joint, date(2025, 1, 15))
    with tenancy.partnership_scope(beta):
        assert [g.name for g in Group.objects.all()] == ["Joint child death overview panel"]
        assert list(Meeting.objects.all()) == [meeting]
    with tenancy.partnership_scope(gamma):
        assert not Group.objects.exists()
        assert not Meeting.objects.exists()
    with tenancy.partnership_scope(alpha):
        assert Group.objects.count() == 2


def test_partnership_scope_needs_a_saved_partnership() -> None:
    with pytest.raises(ScopeError), tenancy.partnership_scope(Partnership(slug="x")):
        pass
