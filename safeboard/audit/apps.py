from safeboard.core.modules import SafeboardModule


class AuditConfig(SafeboardModule):
    """The partnership's audit trail and the access log of restricted records."""

    name = "safeboard.audit"
    label = "audit"
    verbose_name = "Audit trail"
    url_prefix = "audit/"
