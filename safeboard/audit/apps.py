from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeboard.audit"
    label = "audit"
    verbose_name = "Audit trail"
