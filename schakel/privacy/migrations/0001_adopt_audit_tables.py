"""Take over the destruction and access-request tables that the audit app created.

The models moved from `audit` to `privacy`; their tables keep their names
(`db_table`), so this migration changes Django's state only and touches no row.
The content types move along, so permissions and admin history follow the models.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import schakel.core.crypto

MODELS = ["destructionitem", "destructioncertificate", "accessrequest", "accessrequestitem"]


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="privacy", model=model).exists():
            content_type.objects.filter(app_label="audit", model=model).update(
                app_label="privacy")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="audit", model=model).exists():
            content_type.objects.filter(app_label="privacy", model=model).update(
                app_label="audit")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("audit", "0005_move_privacy_models_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("signals", "0006_signal_destroyed_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DestructionCertificate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("number", models.CharField(max_length=30, unique=True)),
                        ("created_at", models.DateTimeField()),
                        ("approved_by_name", models.CharField(max_length=200)),
                        ("reason", models.TextField(blank=True)),
                        ("pdf", models.BinaryField()),
                        ("approved_by", models.ForeignKey(
                            null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["-created_at"],
                             "db_table": "audit_destructioncertificate"},
                ),
                migrations.CreateModel(
                    name="DestructionItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("reference", models.CharField(max_length=30, verbose_name="reference")),
                        ("closed_at", models.DateTimeField(verbose_name="closed")),
                        ("due_on", models.DateField(verbose_name="due for destruction on")),
                        ("rule", models.CharField(max_length=100, verbose_name="retention rule")),
                        ("status", models.CharField(
                            choices=[("proposed", "Proposed"), ("postponed", "Postponed"),
                                     ("destroyed", "Destroyed")],
                            default="proposed", max_length=20, verbose_name="status")),
                        ("postponed_until", models.DateField(blank=True, null=True,
                                                             verbose_name="postponed until")),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField()),
                        ("certificate", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                            related_name="items", to="privacy.destructioncertificate")),
                        ("decided_by", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("signal", models.ForeignKey(
                            null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="destruction_items", to="signals.signal")),
                    ],
                    options={
                        "ordering": ["due_on", "id"],
                        "db_table": "audit_destructionitem",
                        "constraints": [models.UniqueConstraint(
                            condition=models.Q(("status", "proposed")), fields=("signal",),
                            name="one_open_destruction_item")],
                    },
                ),
                migrations.CreateModel(
                    name="AccessRequest",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField()),
                        ("person_name", schakel.core.crypto.EncryptedTextField(
                            verbose_name="name of the person")),
                        ("date_of_birth", schakel.core.crypto.EncryptedTextField(
                            blank=True, verbose_name="date of birth")),
                        ("received_on", models.DateField(verbose_name="request received on")),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        ("created_by", models.ForeignKey(
                            null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["-created_at"], "db_table": "audit_accessrequest"},
                ),
                migrations.CreateModel(
                    name="AccessRequestItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("subject_ids", models.JSONField(default=list)),
                        ("kind", models.CharField(
                            choices=[("signal", "The signal and what it says about the person"),
                                     ("reporter", "The identity of the reporter"),
                                     ("notes", "The officer's notes and history"),
                                     ("feedback", "Feedback from chain partners"),
                                     ("log", "Who processed the person's data (processing "
                                             "log)")],
                            max_length=20)),
                        ("restricted", models.BooleanField(default=False,
                                                           verbose_name="restricted")),
                        ("reason", models.TextField(blank=True,
                                                    verbose_name="reason for the restriction")),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("decided_by", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("request", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="items",
                            to="privacy.accessrequest")),
                        ("signal", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to="signals.signal")),
                    ],
                    options={"ordering": ["signal_id", "id"],
                             "db_table": "audit_accessrequestitem"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
