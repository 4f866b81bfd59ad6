from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bantuan", "0002_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="bantuan",
            index=models.Index(
                fields=["-tanggal_pengajuan", "-id"], name="bantuan_urutan_daftar_idx"
            ),
        ),
    ]
