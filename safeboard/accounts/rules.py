"""Permissions of a sign-in itself, before any partnership."""

import rules

# Pages of one's own account (the account page, its fragments): any signed-in user.
rules.add_perm("accounts.own_account", rules.is_authenticated)
