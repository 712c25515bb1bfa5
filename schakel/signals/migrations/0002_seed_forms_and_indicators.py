from django.db import migrations


def seed(apps, schema_editor):
    from schakel.signals.seed_data import FORMS, INDICATORS

    ExploitationForm = apps.get_model("signals", "ExploitationForm")
    Indicator = apps.get_model("signals", "Indicator")
    for order, (code, nl, en) in enumerate(FORMS):
        form, _ = ExploitationForm.objects.update_or_create(
            code=code, defaults={"name_nl": nl, "name_en": en, "order": order})
        for i, (text_nl, text_en) in enumerate(INDICATORS[code]):
            Indicator.objects.update_or_create(
                form=form, text_nl=text_nl, defaults={"text_en": text_en, "order": i})


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
