from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeboard.accounts.models import User
from safeboard.core import tenancy
from safeboard.core.demo import sign_ins
from safeboard.partnership.models import (
    Agency,
    Area,
    AreaPopulation,
    Attendance,
    Group,
    GroupKind,
    Meeting,
    Partnership,
    Person,
    Role,
    RoleAssignment,
)


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    if stdin is not None:
        import sys

        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            call_command(*args, stdout=out)
        finally:
            sys.stdin = old
    else:
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_partnership_create() -> None:
    out = run(
        "partnership",
        "create",
        "--slug",
        "northshire",
        "--name",
        "Northshire SCP",
        "--la-number",
        "909",
    )
    assert "Created partnership northshire" in out
    partnership = Partnership.objects.get(slug="northshire")
    with tenancy.partnership_scope(partnership):
        assert list(Area.objects.values_list("la_number", flat=True)) == [909]
    with pytest.raises(CommandError, match="already exists"):
        run("partnership", "create", "--slug", "northshire", "--name", "Other")
    with pytest.raises(CommandError, match="‘99999’ is not a DfE LA number"):
        run("partnership", "create", "--slug", "south", "--name", "S", "--la-number", "99999")
    assert not Partnership.objects.filter(slug="south").exists()


@pytest.mark.django_db
def test_user_create_with_a_role(alpha: Any, police: Any) -> None:
    out = run(
        "user",
        "create",
        "--username",
        "pat",
        "--name",
        "Pat Jones",
        "--password-stdin",
        "--partnership",
        "alpha",
        "--role",
        "agency_contributor",
        "--agency",
        "pol",
        stdin="a-long-enough-password\n",
    )
    assert "Created user pat" in out
    user = User.objects.get(username="pat")
    assert user.check_password("a-long-enough-password")
    with tenancy.partnership_scope(alpha):
        person = Person.objects.get(user=user)
        assert person.name == "Pat Jones" and person.agency == police
        assert list(
            RoleAssignment.objects.filter(person=person).values_list("role", flat=True)
        ) == [Role.AGENCY_CONTRIBUTOR]


@pytest.mark.django_db
def test_user_create_refuses_a_weak_password(alpha: Any) -> None:
    with pytest.raises(CommandError, match="too short"):
        run("user", "create", "--username", "weak", "--password-stdin", stdin="short\n")
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_population_set_and_import(alpha: Any, tmp_path: Path) -> None:
    out = run(
        "population", "set", "--partnership", "alpha", "--year", "2016-17", "--children", "92800"
    )
    assert "2016-17: 92800 children" in out
    with pytest.raises(CommandError, match="not a financial year"):
        run("population", "set", "--partnership", "alpha", "--year", "2017-03", "--children", "1")
    good = tmp_path / "pop.csv"
    good.write_text('la_number,year,children\n909,2017-18,93100\n909,2018-19,"93,400"\n')
    bad = tmp_path / "bad.csv"
    bad.write_text("la_number,year,children\n909,2019-20,93500\n111,2019-20,1\n909,2020,-4\n")
    with pytest.raises(CommandError) as error:
        run("population", "import", "--partnership", "alpha", str(bad))
    message = str(error.value)
    assert "Row 3: la_number ‘111’ is not an area" in message
    assert "Row 4: ‘2020’ is ambiguous" in message
    with tenancy.partnership_scope(alpha):
        assert AreaPopulation.objects.count() == 1  # the bad file wrote nothing
    assert "2 rows are valid" in run(
        "population", "import", "--partnership", "alpha", str(good), "--dry-run"
    )
    run("population", "import", "--partnership", "alpha", str(good))
    with tenancy.partnership_scope(alpha):
        assert sorted(AreaPopulation.objects.values_list("year", "children")) == [
            (2016, 92800),
            (2017, 93100),
            (2018, 93400),
        ]


@pytest.mark.django_db
def test_the_demo_partnership_is_complete() -> None:
    out = run("demo", "load")
    for username, _ in sign_ins():
        assert username in out
        assert User.objects.get(username=username).is_demo
    northdale = Partnership.objects.get(slug="northdale")
    with tenancy.partnership_scope(northdale):
        assert Agency.objects.count() >= 12
        assert Person.objects.count() >= 30
        assert Group.objects.filter(kind=GroupKind.BOARD).count() == 1
        assert Group.objects.filter(kind=GroupKind.EXECUTIVE).count() == 1
        assert Group.objects.filter(kind=GroupKind.SUBGROUP).count() >= 6
        held = Meeting.objects.filter(status="held")
        span = held.order_by("date").first().date, held.order_by("date").last().date
        assert (span[1] - span[0]).days > 600  # two years of meetings
        statuses = set(Attendance.objects.values_list("status", flat=True))
        assert statuses == {"present", "deputy", "apologies", "absent"}
        assert Group.objects.filter(shared_with__isnull=False).exists()
    assert "already loaded" in run("demo", "load", "--if-empty")
    with pytest.raises(CommandError, match="already loaded"):
        run("demo", "load")


def test_python_m_safeboard_runs_commands() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "safeboard", "help", "partnership"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "create" in result.stdout
