"""Step 3 of 3: drop the plain account ids of the reporter and who filed."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0008_fill_reporter_account_keys'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='reporteridentity',
            name='signals_rep_user_id_a52ef6_idx',
        ),
        migrations.RemoveField(
            model_name='reporteridentity',
            name='filed_by',
        ),
        migrations.RemoveField(
            model_name='reporteridentity',
            name='user',
        ),
    ]
