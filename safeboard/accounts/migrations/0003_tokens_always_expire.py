import datetime

from django.db import migrations, models


def give_every_token_an_expiry(apps, schema_editor):
    """A token with no expiry (made before every token had one) expires a year after it was
    made; one already older than that has expired."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + datetime.timedelta(days=365)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_token_scopes")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="issued_without_two_factor",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Made while its user needed no second factor: it ends when they need one.",
            ),
        ),
        migrations.RunPython(give_every_token_an_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken", name="expires_at", field=models.DateTimeField()
        ),
    ]
