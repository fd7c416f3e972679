"""same_problem events

An inspector who finds an issue that is already open adds photos to it instead of
reporting it twice: a new event action, so the CHECK on issue_events.action grows.

Revision ID: 84ed0bc7f0c6
Revises: a9449c68efe2
Create Date: 2026-11-22 22:01:16.380162+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '84ed0bc7f0c6'
down_revision = 'a9449c68efe2'
branch_labels = None
depends_on = None


OLD_ACTIONS = (
    "report", "dispatch", "rectify", "verify", "reject", "request_extension", "approve_extension",
    "deny_extension", "dispute", "cancel",
)
NEW_ACTIONS = (*OLD_ACTIONS, "same_problem")


def _check(actions):
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    with op.batch_alter_table("issue_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_issue_events_valid_action"), type_="check")
        batch_op.create_check_constraint(op.f("ck_issue_events_valid_action"), _check(NEW_ACTIONS))


def downgrade():
    # The old schema cannot hold same_problem events: their photos stay on the
    # issue (detached from the event) and the events go.
    events = sa.table("issue_events", sa.column("id", sa.Integer), sa.column("action", sa.String))
    photos = sa.table("photos", sa.column("event_id", sa.Integer))
    same = sa.select(events.c.id).where(events.c.action == "same_problem")
    op.execute(photos.update().where(photos.c.event_id.in_(same)).values(event_id=None))
    op.execute(events.delete().where(events.c.action == "same_problem"))
    with op.batch_alter_table("issue_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_issue_events_valid_action"), type_="check")
        batch_op.create_check_constraint(op.f("ck_issue_events_valid_action"), _check(OLD_ACTIONS))
