from django.contrib import admin

from . import models

for model in (
    models.Plan,
    models.Theme,
    models.Action,
    models.ProgressUpdate,
    models.DueDateChange,
    models.Risk,
    models.RiskReview,
    models.Challenge,
):
    admin.site.register(model)
