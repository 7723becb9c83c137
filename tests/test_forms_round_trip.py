"""Every edit form in the site, opened and saved unchanged, leaves its record unchanged.

The edit pages are found from the access expectations (`tests/access/`), which list every URL
of the site: each page answering 200 whose form is a model form bound to an existing record is
an edit page. So a new edit form is covered by being added. For each one the test opens the
page as a role that may, gives the record two values in each of its many-to-many fields (so a
multiple choice rendered as radio buttons would lose one), reads the form as a browser would
(the checked boxes and radios, the selected options, the text of text areas) and sends it back
unchanged: the save must succeed and the record must be as it was.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.db import models
from django.test import Client
from django.urls import reverse

from safeboard.core import demo, tenancy

from .access import ROLES
from .conftest import consume
from .test_access_walk import MODULES, WalkContext, _clients, _module, walk_demo

__all__ = ["walk_demo"]


class _Form:
    def __init__(self, action: str) -> None:
        self.action = action
        self.fields: list[tuple[str, str]] = []
        self.names: set[str] = set()
        self.submit: tuple[str, str] | None = None


class _FormReader(HTMLParser):
    """The post forms of a page, each with what a browser would send on submitting it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool, list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = _Form(a.get("action", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form.names.add(name)
            if kind == "radio" and "checked" in a:
                # A group of radio buttons sends one value: the last one checked.
                form.fields = [(n, v) for n, v in form.fields if n != name]
                form.fields.append((name, a.get("value", "on")))
            elif kind == "checkbox" and "checked" in a:
                form.fields.append((name, a.get("value", "on")))
            elif kind in {"checkbox", "radio"}:
                pass
            elif kind == "submit":
                if form.submit is None:
                    form.submit = (name, a.get("value", ""))
            elif kind not in {"file", "button", "reset", "image"}:
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            if form.submit is None:
                form.submit = (name, a.get("value", ""))
        elif tag == "select" and name:
            form.names.add(name)
            self._select = (name, "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value") if "value" in a else None, "selected" in a, [])
        elif tag == "textarea" and name:
            form.names.add(name)
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None and self._option is not None:
            value, selected, text = self._option
            self._select[2].append(
                (value if value is not None else "".join(text).strip(), selected)
            )
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, options = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self._form.fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            text = text[1:] if text.startswith("\n") else text
            # A browser sends a text area's lines ended by CR LF.
            self._form.fields.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def _edit_form(response: Any) -> forms.BaseForm | None:
    """The page's form that edits an existing record, if it has one: a model form bound to a
    saved instance, or a plain form naming the record it edits as `form.record`."""
    contexts = response.context
    if contexts is None:
        return None
    for context in [contexts] if hasattr(contexts, "flatten") else contexts:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and _record(value) is not None:
                return value
    return None


def _record(form: forms.BaseForm) -> models.Model | None:
    record = form.instance if isinstance(form, forms.ModelForm) else getattr(form, "record", None)
    return record if isinstance(record, models.Model) and record.pk is not None else None


def _snapshot(instance: models.Model) -> dict[str, Any]:
    record = type(instance)._base_manager.get(pk=instance.pk)
    state: dict[str, Any] = {}
    for model_field in record._meta.concrete_fields:
        if getattr(model_field, "auto_now", False):
            continue
        value = getattr(record, model_field.attname)
        if hasattr(value, "field"):  # a file: its name
            value = value.name
        if isinstance(value, str):  # as Django's form fields clean text: ends stripped
            value = value.replace("\r\n", "\n").strip()
        state[model_field.name] = value
    for m2m in record._meta.many_to_many:
        state[m2m.name] = sorted(getattr(record, m2m.name).values_list("pk", flat=True))
    return state


def _give_two_values(form: forms.BaseForm) -> bool:
    """Give the record at least two values in each many-to-many field the form offers."""
    changed = False
    record = _record(form)
    assert record is not None
    for m2m in record._meta.many_to_many:
        field = form.fields.get(m2m.name)
        if not isinstance(field, forms.ModelMultipleChoiceField) or field.disabled:
            continue
        choices = list(field.queryset.values_list("pk", flat=True)[:2])
        manager = getattr(record, m2m.name)
        if len(choices) == 2 and manager.count() < 2:
            manager.set(choices)
            changed = True
    return changed


def _page_form(html: str, form: forms.BaseForm) -> _Form:
    reader = _FormReader()
    reader.feed(html)
    wanted = {form.add_prefix(name) for name, field in form.fields.items() if not field.disabled}
    wanted -= {form.add_prefix(name) for name, f in form.fields.items() if _is_file(f)}
    best = max(reader.forms, key=lambda page_form: len(page_form.names & wanted), default=None)
    assert best is not None and wanted <= best.names, (
        f"the page has no form with every field of {type(form).__name__}: "
        f"missing {sorted(wanted - (best.names if best else set()))}"
    )
    return best


def _is_file(field: forms.Field) -> bool:
    return isinstance(field, forms.FileField)


def _role_for(check: Any) -> str | None:
    order = ["admin", *ROLES]
    return next((role for role in order if check.expected.get(role) == 200), None)


def _post_data(page_form: _Form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in page_form.fields:
        data.setdefault(name, []).append(value)
    if page_form.submit is not None:
        data.setdefault(page_form.submit[0], []).append(page_form.submit[1])
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("module", MODULES)
def test_saving_an_edit_form_unchanged_changes_nothing(
    module: str, walk_demo: demo.DemoContext
) -> None:
    expectations = _module(module)
    ctx = WalkContext(walk_demo)
    prepare = getattr(expectations, "prepare", None)
    if prepare is not None:
        prepare(ctx)
    clients: dict[str, Client] = _clients(ctx)
    failures: list[str] = []
    edited = 0
    for name, check in getattr(expectations, "CHECKS", {}).items():
        role = _role_for(check)
        if check.method != "get" or role is None:
            continue
        kwargs = check.kwargs(ctx) if callable(check.kwargs) else check.kwargs
        url = reverse(name.split("#")[0], kwargs=kwargs)
        if check.query:
            url += "?" + check.query
        client = clients[role]
        response = client.get(url)
        consume(response)
        form = _edit_form(response) if response.status_code == 200 else None
        if form is None:
            continue
        with tenancy.partnership_scope(ctx.partnership):
            if _give_two_values(form):
                response = client.get(url)
                form = _edit_form(response)
                assert form is not None
            record = _record(form)
            assert record is not None
            before = _snapshot(record)
        page_form = _page_form(response.content.decode(), form)
        answer = client.post(page_form.action or url, _post_data(page_form))
        consume(answer)
        edited += 1
        if answer.status_code != 302:
            errors = _edit_form(answer)
            failures.append(
                f"{url} as {role}: saving unchanged answered {answer.status_code}: "
                f"{errors.errors.as_data() if errors is not None else ''}"
            )
            continue
        with tenancy.partnership_scope(ctx.partnership):
            after = _snapshot(record)
        changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
        if changed:
            failures.append(f"{url} as {role}: saving unchanged changed {changed}")
    assert not failures, "\n".join(failures)
    if module in {"partnership", "performance", "planning"}:
        assert edited, f"no edit form found among {module}'s pages"
