"""Create the two role groups. Scope comes from Penugasan; these say what a role may do."""

from django.db import migrations

GRUP = ["Fasilitator", "Manajer Program"]


def buat_grup(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for nama in GRUP:
        Group.objects.get_or_create(name=nama)


def hapus_grup(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GRUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("klaster", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(buat_grup, hapus_grup)]
