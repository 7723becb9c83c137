from safeboard.core.modules import SafeboardModule


class AccountsConfig(SafeboardModule):
    """Sign-ins, two-factor devices and API tokens. Its pages are the site's own
    (`/accounts/`), outside any partnership."""

    name = "safeboard.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in"
    audit_options = {
        "User": {"exclude_fields": ["last_login", "password"], "m2m_fields": set()},
        "ApiToken": {"exclude_fields": ["key_hash", "last_used_at"]},
    }
