"""Register the partnership's records with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from . import models

for model in (
    models.Partnership,
    models.Area,
    models.AreaPopulation,
    models.Agency,
    models.Person,
    models.RoleAssignment,
    models.Group,
    models.Objective,
    models.GroupMembership,
    models.Meeting,
    models.Attendance,
    models.Paper,
):
    auditlog.register(model)
