from django.contrib import admin

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
    admin.site.register(model)
