"""notifications: in-app messages, outbound channels, the outbox, and rule marks

Issue #7 (deadlines that act). Four new tables, nothing existing changes:

- notifications: one in-app message (消息) per user, unique on ``key``
  (e.g. "overdue:<issue>:<deadline>:u<user>"), read_at for the unread badge.
- notification_channels: outbound channels of an org unit (webhook, wecom, dingtalk, email).
- notification_deliveries: the outbox, one row per message and channel, unique on ``key``,
  with attempts / next_attempt_at for retries with backoff.
- notification_marks: what a deadline rule already fired for (issue, rule, deadline;
  or digest, unit, day), unique on ``key``: tick claims a mark before notifying.

Revision ID: a833ab69ff18
Revises: 84ed0bc7f0c6
Create Date: 2026-11-22 22:39:32.722313+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a833ab69ff18'
down_revision = '84ed0bc7f0c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=500), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('webhook', 'wecom', 'dingtalk', 'email')", name=op.f('ck_notification_channels_valid_kind')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_notification_channels_org_unit_id_org_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_channels'))
    )
    op.create_index('ix_notification_channels_org_unit_id', 'notification_channels', ['org_unit_id'], unique=False)

    op.create_table('notification_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name=op.f('ck_notification_deliveries_sent_at_iff_sent')),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'skipped')", name=op.f('ck_notification_deliveries_valid_status')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_notification_deliveries_non_negative_attempts')),
    sa.ForeignKeyConstraint(['channel_id'], ['notification_channels.id'], name=op.f('fk_notification_deliveries_channel_id_notification_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_notification_deliveries_issue_id_issues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_deliveries')),
    sa.UniqueConstraint('key', name=op.f('uq_notification_deliveries_key'))
    )
    op.create_index(op.f('ix_notification_deliveries_channel_id'), 'notification_deliveries', ['channel_id'], unique=False)
    op.create_index(op.f('ix_notification_deliveries_issue_id'), 'notification_deliveries', ['issue_id'], unique=False)
    op.create_index('ix_notification_deliveries_status_next_attempt_at', 'notification_deliveries', ['status', 'next_attempt_at'], unique=False)

    op.create_table('notification_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("rule IN ('reminder', 'overdue', 'digest')", name=op.f('ck_notification_marks_valid_rule')),
    sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_notification_marks_issue_id_issues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_notification_marks_org_unit_id_org_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_marks')),
    sa.UniqueConstraint('key', name=op.f('uq_notification_marks_key'))
    )
    op.create_index('ix_notification_marks_issue_id_rule', 'notification_marks', ['issue_id', 'rule'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('dispatched', 'rectified', 'rejected', 'extension_requested', 'extension_approved', 'extension_denied', 'disputed', 'reminder', 'overdue', 'digest')", name=op.f('ck_notifications_valid_kind')),
    sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_notifications_issue_id_issues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('key', name=op.f('uq_notifications_key'))
    )
    op.create_index(op.f('ix_notifications_issue_id'), 'notifications', ['issue_id'], unique=False)
    op.create_index('ix_notifications_user_id_id', 'notifications', ['user_id', 'id'], unique=False)
    op.create_index('ix_notifications_user_id_read_at', 'notifications', ['user_id', 'read_at'], unique=False)


def downgrade():
    # The messages, channels and outbox go with their tables (indexes drop with them).
    for table in ("notifications", "notification_marks", "notification_deliveries", "notification_channels"):
        op.drop_table(table)
