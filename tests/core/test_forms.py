from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from safeboard.core.forms import checked_upload
from safeboard.performance.forms import TemplateUploadForm


def test_an_upload_is_checked_against_the_setting_and_its_kind(settings: Any) -> None:
    settings.MAX_UPLOAD_MB = 1
    small = SimpleUploadedFile("plan.csv", b"x" * 1000)
    assert checked_upload(small, ".csv", ".xlsx") is small
    assert checked_upload(None) is None
    with pytest.raises(forms.ValidationError, match="smaller than 1 MB"):
        checked_upload(SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1)))
    with pytest.raises(forms.ValidationError, match="must be a CSV file"):
        checked_upload(SimpleUploadedFile("plan.pdf", b"x"), ".csv", kinds="a CSV file")


def test_every_upload_form_follows_max_upload_mb(settings: Any) -> None:
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("return.xlsx", b"x" * (2 * 1024 * 1024))
    form = TemplateUploadForm(files={"file": big})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file must be smaller than 1 MB"]
