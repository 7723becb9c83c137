"""The module contract: how a Safeboard module plugs into the site.

A module is one folder and one line in `INSTALLED_APPS`. Its `AppConfig` subclasses
`SafeboardModule` and declares what the rest of the site needs to know; everything else is
found in the module by name:

| what                     | where in the module         | found by                            |
|--------------------------|-----------------------------|-------------------------------------|
| pages                    | `urls.py`, at `url_prefix`  | the site's `urls.py`                |
| API endpoints            | `api.py` `router`           | the site's `api.py`                 |
| permissions              | `rules.py`                  | `rules` autodiscovery               |
| navigation, home panels, | `panels.py` `register()`    | `SafeboardModule.ready`             |
| fragments on other pages |                             |                                     |
| background tasks         | `tasks.py`                  | `SafeboardModule.ready`             |
| audit trail              | every model, unless named   | `SafeboardModule.ready`             |
|                          | in `not_audited`            |                                     |
| report sections, figures | `report.py`                 | the reports app                     |
| demo data                | `demo.py` `load(ctx)`       | `core.demo.load`, by `demo_order`   |
| styles                   | `styles/_index.scss`        | `frontend/build.mjs`                |
| restricted registers     | `registers`                 | `registers()`, `Membership`         |
| sources of actions       | `action_sources`            | `action_sources()`, the tracker     |
| statutory clocks         | `clocks`                    | `core.clocks.clock_kinds()`         |
| access expectations      | `tests/access/<label>.py`   | the access walk                     |

See docs/development.md for the checklist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps


@dataclass(frozen=True)
class Register:
    """A restricted register: case-level records that only the roles it names may open.
    Every read goes through `partnership.registers` and is logged."""

    key: str
    label: str
    roles: frozenset[str]
    description: str = ""


@dataclass(frozen=True)
class ActionSource:
    """Where actions in the one tracker come from.

    `model` names the record an action links to (`"app_label.Model"`), if any; `register`
    names the restricted register whose sensitivity an action from it inherits; `manual`
    lets people pick the source when they add an action by hand."""

    key: str
    label: str
    model: str | None = None
    register: str | None = None
    manual: bool = False
    order: int = 50


class SafeboardModule(AppConfig):
    """Base `AppConfig` of every Safeboard module (see the module docstring)."""

    # Django picks the one AppConfig of an app's apps.py marked default: a module's own
    # config, never this base class that apps.py imports.
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = True

    # Pages under /p/<partnership>/<url_prefix> (from the module's urls.py); None: no pages.
    url_prefix: str | None = None
    # When the module's demo.load(ctx) runs, lowest first; None: the module has no demo part.
    demo_order: int | None = None
    registers: Sequence[Register] = ()
    action_sources: Sequence[ActionSource] = ()
    # Kinds of statutory clock the module runs (`core.clocks.ClockKind`).
    clocks: Sequence[Any] = ()
    # Models whose changes are not in the audit trail, each with the reason (model name: why).
    not_audited: Mapping[str, str] = {}
    # Options for auditlog.register, by model name (fields to leave out of the trail).
    audit_options: Mapping[str, Mapping[str, Any]] = {}

    def ready(self) -> None:
        self._register_audit()
        panels = self.submodule("panels")
        if panels is not None:
            panels.register()
        self.submodule("tasks")

    def submodule(self, name: str) -> ModuleType | None:
        """The module's `<name>.py`, imported, or None if it has none."""
        dotted = f"{self.name}.{name}"
        if find_spec(dotted) is None:
            return None
        return import_module(dotted)

    def _register_audit(self) -> None:
        from auditlog.registry import auditlog

        for model in self.get_models():
            name = model.__name__
            if name in self.not_audited or auditlog.contains(model):
                continue
            auditlog.register(model, **dict(self.audit_options.get(name, {})))


def installed() -> list[SafeboardModule]:
    """Safeboard's modules, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, SafeboardModule)]


def registers() -> dict[str, Register]:
    """Every restricted register of the installed modules, by key."""
    found: dict[str, Register] = {}
    for module in installed():
        for register in module.registers:
            if register.key in found:
                raise ValueError(f"Two modules declare the register ‘{register.key}’")
            found[register.key] = register
    return found


def register_roles() -> frozenset[str]:
    """Roles that open at least one register (they must sign in with two factors)."""
    roles: set[str] = set()
    for register in registers().values():
        roles |= register.roles
    return frozenset(roles)


def action_sources() -> dict[str, ActionSource]:
    """Every source of actions declared by the installed modules, by key, in order."""
    found: dict[str, ActionSource] = {}
    for module in installed():
        for source in module.action_sources:
            if source.key in found:
                raise ValueError(f"Two modules declare the action source ‘{source.key}’")
            found[source.key] = source
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[1].label)))
