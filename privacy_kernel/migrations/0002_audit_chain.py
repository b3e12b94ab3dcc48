# Tamper evidence for the audit log (privacy_kernel/chain.py). Additive only: new columns, a backfill that chains
# the rows already there, the unique chain positions, and on PostgreSQL a trigger that refuses UPDATE and
# DELETE outside privacy.chain.maintenance().

from itertools import groupby

from django.conf import settings
from django.db import migrations, models

# The trigger reads a transaction-local setting that privacy.chain.maintenance() turns on. Row-level, so a
# statement that touches no audit row (deleting a user who has none) is never refused. TRUNCATE fires no
# row trigger: the test runner's flush still works, and so could the table's owner, which is why the
# chain, not the trigger, is the evidence. EXECUTE PROCEDURE rather than FUNCTION: YugabyteDB's YSQL
# accepts both, older releases only the former.
CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION privacy_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('omoikane.audit_maintenance', true), '') <> 'on' THEN
        RAISE EXCEPTION 'privacy_auditevent is append-only: % refused outside privacy.chain.maintenance()',
            TG_OP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_auditevent_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE PROCEDURE privacy_auditevent_append_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS privacy_auditevent_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_auditevent_append_only();
"""
CHAIN_FIELDS = ["actor_ref", "chain_version", "sequence", "prev_hash", "payload_salt", "payload_hash", "entry_hash"]


def chain_existing_rows(apps, schema_editor):
    # Rows written before the chain existed are chained in the order they were made (created_at, then id
    # for ties): the chain then attests to them as they stand at this migration, no earlier.
    from privacy_kernel import chain, chain_encoding

    AuditEvent = apps.get_model("privacy", "AuditEvent")
    rows = (
        AuditEvent.objects.using(schema_editor.connection.alias)
        .order_by("subject_id", "created_at", "id")
        .iterator(chunk_size=2000)
    )
    pending = []
    for _, events in groupby(rows, key=lambda row: row.subject_id):
        head = chain_encoding.GENESIS
        for row in events:
            row.actor_ref = row.actor_id
            row.payload_salt = ""
            chain.seal(row, head)
            head = chain_encoding.ChainHead(row.sequence, row.entry_hash)
            pending.append(row)
            if len(pending) >= 500:
                AuditEvent.objects.using(schema_editor.connection.alias).bulk_update(pending, CHAIN_FIELDS)
                pending = []
    if pending:
        AuditEvent.objects.using(schema_editor.connection.alias).bulk_update(pending, CHAIN_FIELDS)


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_ref",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        # The one-off defaults only fill existing rows until the backfill below replaces them; the model has
        # no default, so only record() can make a row.
        migrations.AddField(
            model_name="auditevent",
            name="chain_version",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="payload_salt",
            field=models.CharField(default="", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        # Before the constraints: until it runs, every existing row has sequence 0.
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("subject", "sequence"), name="audit_chain_position"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("subject__isnull", True)), fields=("sequence",), name="audit_system_chain_position"
            ),
        ),
        # Last: the backfill above updates rows, which the trigger would refuse.
        migrations.RunPython(create_trigger, drop_trigger),
    ]
