"""The module contract (core.modules, docs/development.md): a module plugs in through its
AppConfig, every page and entry names its permission, every model is audited or explained,
and nothing outside a module names it but INSTALLED_APPS."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import rules
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from safeboard.core import modules, navigation

SAFEBOARD = Path(settings.BASE_DIR) / "safeboard"
# The kernel and the site: they know no feature module by name.
KERNEL = ["core", "accounts", "partnership", "reporting", "reports"]
SITE = ["urls.py", "api.py", "wsgi.py", "templates/base.html"]


def _callbacks(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin", "api"}:
                continue
            found += _callbacks(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_every_page_of_a_partnership_names_its_permission() -> None:
    pages = [
        (route, view)
        for route, view in _callbacks(get_resolver().url_patterns)
        if route.startswith("p/")
    ]
    assert len(pages) > 100
    unnamed = [route for route, view in pages if not getattr(view, "sb_perm", "")]
    assert not unnamed, f"pages whose view names no permission: {unnamed}"
    unknown = [
        (route, view.sb_perm) for route, view in pages if not rules.perm_exists(view.sb_perm)
    ]
    assert not unknown, f"pages naming a permission nobody defined: {unknown}"


def test_every_navigation_entry_panel_and_fragment_names_a_real_permission() -> None:
    nav, panels, fragments = navigation.registered()
    assert nav and panels and fragments
    for entry in (*nav, *panels, *fragments):
        assert entry.perm, f"{entry} names no permission"
        assert rules.perm_exists(entry.perm), f"{entry} names an unknown permission"


def test_every_safeboard_app_is_a_module() -> None:
    names = [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("safeboard.") and config.label != "core"
    ]
    plugged = {module.label for module in modules.installed()}
    assert set(names) <= plugged, f"apps that are not SafeboardModules: {set(names) - plugged}"


def test_every_model_is_audited_or_its_module_says_why_not() -> None:
    for module in modules.installed():
        for model in module.get_models():
            name = model.__name__
            if name in module.not_audited:
                assert module.not_audited[name].strip(), f"{name}: give the reason"
                assert not auditlog.contains(model), f"{name} is audited and said not to be"
                continue
            assert auditlog.contains(model), (
                f"{module.label}.{name} is not in the audit trail: leave it to the module "
                "contract, or name it in its AppConfig.not_audited with the reason"
            )


def test_api_tokens_and_report_builds_are_audited() -> None:
    assert auditlog.contains(apps.get_model("accounts", "ApiToken"))
    assert auditlog.contains(apps.get_model("reports", "ReportBuild"))


def test_action_sources_name_real_records_and_registers() -> None:
    registers = modules.registers()
    sources = modules.action_sources()
    assert {"business_plan", "meeting", "other"} <= set(sources)
    for source in sources.values():
        if source.model is not None:
            apps.get_model(source.model)  # raises if there is no such model
        assert source.register is None or source.register in registers


def test_registers_name_real_roles() -> None:
    from safeboard.partnership.roles import Role

    for register in modules.registers().values():
        assert register.roles, f"{register.key} opens to nobody"
        assert register.roles <= set(Role.values)


def _feature_labels() -> list[str]:
    return [m.label for m in modules.installed() if m.label not in KERNEL]


def test_nothing_outside_a_module_names_it() -> None:
    """Adding a module is one line in INSTALLED_APPS: the kernel, the reports app and the
    site find it through the module contract, never by name."""
    features = _feature_labels()
    assert {"performance", "planning"} <= set(features)
    files = [p for part in KERNEL for p in (SAFEBOARD / part).rglob("*.py")]
    files += [p for part in KERNEL for p in (SAFEBOARD / "templates" / part).rglob("*.html")]
    files += [SAFEBOARD / name for name in SITE]
    pattern = re.compile(
        r"safeboard[./](" + "|".join(features) + r")\b|['\"](" + "|".join(features) + r"):"
    )
    offenders = [
        f"{path.relative_to(SAFEBOARD)}: {match.group(0)}"
        for path in files
        if "migrations" not in path.parts
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, offenders


def test_restricted_reads_are_logged_in_one_place() -> None:
    """No hand-placed access-log entries: only partnership.registers writes them."""
    allowed = SAFEBOARD / "partnership" / "registers.py"
    writes = re.compile(r"log_create|LogEntry\(|bulk_create|log_read")
    offenders = [
        str(path.relative_to(SAFEBOARD))
        for path in SAFEBOARD.rglob("*.py")
        if path != allowed and "Action.ACCESS" in (text := path.read_text()) and writes.search(text)
    ]
    assert not offenders, f"access-log entries written outside the register reader: {offenders}"


def test_styles_are_found_in_the_modules() -> None:
    """Each module keeps its styles in `styles/_index.scss`; the site's stylesheet names none."""
    entry = (Path(settings.BASE_DIR) / "frontend" / "scss" / "safeboard.scss").read_text()
    for label in _feature_labels():
        assert f'"{label}"' not in entry and f"/{label}/" not in entry
    assert (SAFEBOARD / "performance" / "styles" / "_index.scss").exists()
    assert (SAFEBOARD / "planning" / "styles" / "_index.scss").exists()


# The kernel and the reports app; every other module is a feature module.
NOT_FEATURES = {"core", "accounts", "partnership", "reports"}
# Feature modules may use the one action tracker's services (planning) to add actions.
SHARED_FEATURES = {"planning"}


def test_feature_modules_do_not_import_each_other() -> None:
    """Found from INSTALLED_APPS, so a new module is checked without being listed anywhere
    (import-linter checks the kernel's layers; this checks the modules above it)."""
    import grimp

    graph = grimp.build_graph("safeboard")
    features = {m.label: m.name for m in modules.installed() if m.label not in NOT_FEATURES}
    assert {"performance", "planning", "audit"} <= set(features)
    offenders = []
    for label, package in features.items():
        for module in graph.find_descendants(package) | {package}:
            for imported in graph.find_modules_directly_imported_by(module):
                other = next(
                    (
                        name
                        for lbl, name in features.items()
                        if lbl != label and (imported == name or imported.startswith(name + "."))
                    ),
                    None,
                )
                if other is None:
                    continue
                if other.rsplit(".", 1)[-1] in SHARED_FEATURES:
                    continue
                offenders.append(f"{module} imports {imported}")
    assert not offenders, offenders
