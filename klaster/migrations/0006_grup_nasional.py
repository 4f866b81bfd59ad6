"""National scope by group membership: the "Manajer Nasional" group replaces the permission
klaster.lihat_semua_klaster. Whoever held the permission (directly or through a group) is
put in the group; the permission is then dropped from the model."""

from django.db import migrations
from django.db.models import Q

GRUP = "Manajer Nasional"


def ke_grup(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    Permission = apps.get_model("auth", "Permission")
    grup, _ = Group.objects.get_or_create(name=GRUP)
    izin = Permission.objects.filter(
        codename="lihat_semua_klaster", content_type__app_label="klaster"
    ).first()
    if izin is None:
        return
    pemegang = User.objects.filter(Q(user_permissions=izin) | Q(groups__permissions=izin))
    grup.user_set.add(*pemegang.distinct())
    izin.delete()


def ke_izin(apps, schema_editor):
    # the permission row comes back with post_migrate; its holders are not restored
    apps.get_model("auth", "Group").objects.filter(name=GRUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("klaster", "0005_preferensi_bahasa"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(ke_grup, ke_izin),
        migrations.AlterModelOptions(
            name="klaster",
            options={
                "ordering": ["nama"],
                "verbose_name": "klaster",
                "verbose_name_plural": "klaster",
            },
        ),
    ]
