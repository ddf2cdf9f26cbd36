"""The people a list read showed (``audit.ListedSubject``), one row per person per list
event, so each of them finds the event among "who viewed my data". On PostgreSQL a
trigger refuses, like ``0003`` for the events, any DELETE and any UPDATE other than
clearing the reference to a deleted employee."""

import django.db.models.deletion
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_listedsubject_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit events are append-only (DELETE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.event_id IS DISTINCT FROM OLD.event_id
        OR (NEW.employee_id IS NOT NULL AND NEW.employee_id IS DISTINCT FROM OLD.employee_id)
    THEN
        RAISE EXCEPTION 'audit events are append-only (UPDATE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""

CREATE = [
    FUNCTION,
    "DROP TRIGGER IF EXISTS audit_listedsubject_append_only ON audit_listedsubject",
    "CREATE TRIGGER audit_listedsubject_append_only BEFORE UPDATE OR DELETE ON audit_listedsubject"
    " FOR EACH ROW EXECUTE FUNCTION audit_listedsubject_append_only()",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_listedsubject_append_only ON audit_listedsubject",
    "DROP FUNCTION IF EXISTS audit_listedsubject_append_only()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_append_only_trigger"),
        ("organisations", "0003_alter_organisationimport_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListedSubject",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "employee",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="organisations.employee",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="listed", to="audit.auditevent"
                    ),
                ),
            ],
            options={
                "verbose_name": "person shown in a list",
                "verbose_name_plural": "people shown in a list",
                "indexes": [models.Index(fields=["employee", "event"], name="audit_listed_employee")],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
