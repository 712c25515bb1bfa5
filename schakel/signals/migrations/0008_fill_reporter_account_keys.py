"""Step 2 of 3: fill the keyed account columns from the plain ids; encrypt the free texts.

Raw SQL through the shared column rewriter (no live models in migrations). The keys
come from the environment (or DATA_DIR in the demo), as at run time. Events of the
"submit" step lose their actor: who submitted is the reporter (or who filed for
them), a link that now lives only in the keyed columns.
"""

from django.db import migrations

TEXTS = {
    "signals_signal": ["dismiss_reason", "message_for_reporter", "observed_where",
                       "outcome_other"],
    "signals_signalevent": ["remark"],
}


def key_and_encrypt(apps, schema_editor):
    from schakel.core.crypto import account_key, encrypt, encrypt_plain_columns

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, user_id, filed_by_id FROM signals_reporteridentity")
        rows = cursor.fetchall()
        for pk, user_id, filed_by_id in rows:
            values = []
            for account in (user_id, filed_by_id):
                values += [account_key(account), encrypt(str(account))] if account else ["", ""]
            cursor.execute("UPDATE signals_reporteridentity SET user_key = %s, user_ref = %s, "
                           "filed_by_key = %s, filed_by_ref = %s WHERE id = %s", [*values, pk])
        cursor.execute("UPDATE signals_signalevent SET actor_id = NULL "
                       "WHERE transition = 'submit'")
    for table, columns in TEXTS.items():
        encrypt_plain_columns(connection, table, columns)


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0007_key_reporter_accounts_encrypt_texts'),
    ]

    operations = [
        migrations.RunPython(key_and_encrypt, migrations.RunPython.noop),
    ]
