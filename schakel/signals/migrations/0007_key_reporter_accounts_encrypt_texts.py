"""Step 1 of 3: the keyed account columns beside the old ones; free texts become encrypted."""

import schakel.core.crypto
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0006_signal_destroyed_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='reporteridentity',
            name='filed_by_key',
            field=schakel.core.crypto.AccountKeyField(source='filed_by_ref'),
        ),
        migrations.AddField(
            model_name='reporteridentity',
            name='filed_by_ref',
            field=schakel.core.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AddField(
            model_name='reporteridentity',
            name='user_key',
            field=schakel.core.crypto.AccountKeyField(source='user_ref'),
        ),
        migrations.AddField(
            model_name='reporteridentity',
            name='user_ref',
            field=schakel.core.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name='signal',
            name='dismiss_reason',
            field=schakel.core.crypto.EncryptedTextField(blank=True, verbose_name='reason for dismissal'),
        ),
        migrations.AlterField(
            model_name='signal',
            name='message_for_reporter',
            field=schakel.core.crypto.EncryptedTextField(blank=True, verbose_name='message for the reporter'),
        ),
        migrations.AlterField(
            model_name='signal',
            name='observed_where',
            field=schakel.core.crypto.EncryptedTextField(blank=True, max_length=200, verbose_name='where'),
        ),
        migrations.AlterField(
            model_name='signal',
            name='outcome_other',
            field=schakel.core.crypto.EncryptedTextField(blank=True, max_length=200, verbose_name='outcome (other)'),
        ),
        migrations.AlterField(
            model_name='signalevent',
            name='remark',
            field=schakel.core.crypto.EncryptedTextField(blank=True),
        ),
    ]
