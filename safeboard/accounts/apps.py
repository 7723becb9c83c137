from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeboard.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import User

        auditlog.register(
            User,
            exclude_fields=["last_login", "password"],
            m2m_fields=set(),
        )
