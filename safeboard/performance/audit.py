"""Register the dataset's records with the audit trail (django-auditlog): every change to an
indicator, target, definition, round, return, value or RAG override is logged."""

from auditlog.registry import auditlog

from . import models

for model in (
    models.Theme,
    models.Indicator,
    models.Target,
    models.DefinitionVersion,
    models.CollectionRound,
    models.AgencyReturn,
    models.Value,
    models.RagOverride,
):
    auditlog.register(model)
