"""On PostgreSQL the database itself refuses to change or delete an audit event: a
trigger raises on DELETE and on any UPDATE other than clearing the reference to a
deleted user, employee or organisation (what ``on_delete=SET_NULL`` does). TRUNCATE
(``manage.py flush``, test teardown) fires no row trigger, so it still works. Other
databases (SQLite) rely on the model's refusal."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit events are append-only (DELETE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (to_jsonb(NEW) - 'actor_id' - 'organisation_id' - 'subject_id')
            IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id' - 'organisation_id' - 'subject_id')
        OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
        OR (NEW.organisation_id IS NOT NULL AND NEW.organisation_id IS DISTINCT FROM OLD.organisation_id)
        OR (NEW.subject_id IS NOT NULL AND NEW.subject_id IS DISTINCT FROM OLD.subject_id)
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
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent"
    " FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
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
    dependencies = [("audit", "0002_auditevent_origin_subject_category")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
