"""Register planning's records with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

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
    auditlog.register(model)
