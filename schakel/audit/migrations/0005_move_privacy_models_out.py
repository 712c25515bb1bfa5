"""Retention, destruction and access requests moved to the privacy app.

Only Django's picture of the models changes: the tables stay where they are, with
their data, and `privacy.0001_adopt_audit_tables` takes them over under the same
names. Nothing is dropped on either database.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_access_requests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AccessRequestItem"),
                migrations.DeleteModel(name="AccessRequest"),
                migrations.DeleteModel(name="DestructionItem"),
                migrations.DeleteModel(name="DestructionCertificate"),
            ],
            database_operations=[],
        ),
    ]
