"""PostgreSQL only: an index for "highest rated first" (`?ordering=-rating_avg`).

The catalog sorts unrated courses last in both directions. PostgreSQL puts NULLs first when it
scans `course_rating_idx` backwards, so without this index it sorted every published course for
each page (about 0.5 s at a million courses). SQLite and MariaDB put NULLs last in a descending
order by default and read `course_rating_idx` backwards; neither can index NULLS LAST. The index
is therefore not in Course.Meta.indexes, which applies to every database.
"""

from django.db import migrations, models
from django.db.models import F

RATING_DESC_INDEX = models.Index(
    F("rating_avg").desc(nulls_last=True), F("id").desc(), name="course_rating_desc_idx"
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("courses", "Course"), RATING_DESC_INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("courses", "Course"), RATING_DESC_INDEX)


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_rating")]

    operations = [migrations.RunPython(add_index, remove_index)]
