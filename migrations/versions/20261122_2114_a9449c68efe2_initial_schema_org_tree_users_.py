"""initial schema: org tree, users, categories, calendar, issues, events, photos

The whole of the first release: the org tree (市 → 区 → 街道 → 社区 → 网格) with
GeoJSON boundaries, users with roles, categories with their deadline rules,
admin-entered calendar overrides, issues with their status invariants as CHECK
constraints, the append-only event log, and photos.

Revision ID: a9449c68efe2
Revises: 
Create Date: 2026-11-22 21:14:50.605164+00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9449c68efe2'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_overrides')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_overrides_day'))
    )
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('group_code', sa.String(length=64), nullable=False),
    sa.Column('group_zh', sa.String(length=64), nullable=False),
    sa.Column('group_en', sa.String(length=64), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('deadline_unit', sa.String(length=16), nullable=False),
    sa.Column('deadline_amount', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("deadline_unit IN ('hours', 'days', 'work_hours', 'work_days')", name=op.f('ck_categories_valid_deadline_unit')),
    sa.CheckConstraint("kind IN ('site', 'document')", name=op.f('ck_categories_valid_kind')),
    sa.CheckConstraint('deadline_amount > 0', name=op.f('ck_categories_positive_deadline_amount')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_categories_code'))
    )
    op.create_table('org_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=True),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('boundary', sa.JSON(), nullable=True),
    sa.Column('centroid_lat', sa.Float(), nullable=True),
    sa.Column('centroid_lon', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('city', 'district', 'street', 'community', 'grid')", name=op.f('ck_org_units_valid_kind')),
    sa.ForeignKeyConstraint(['parent_id'], ['org_units.id'], name=op.f('fk_org_units_parent_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_units')),
    sa.UniqueConstraint('code', name=op.f('uq_org_units_code'))
    )
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_units_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_units_path'), ['path'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('inspector', 'community_staff', 'street_staff', 'supervisor', 'admin')", name=op.f('ck_users_valid_role')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_users_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_org_unit_id'), ['org_unit_id'], unique=False)

    op.create_table('issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('location_text', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rework_count', sa.Integer(), nullable=False),
    sa.Column('extension_requested_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rectified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_issues_cancelled_at_iff_cancelled')),
    sa.CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name=op.f('ck_issues_closed_at_iff_closed')),
    sa.CheckConstraint("(status = 'rectified') = (rectified_at IS NOT NULL)", name=op.f('ck_issues_rectified_at_iff_rectified')),
    sa.CheckConstraint("extension_requested_until IS NULL OR status = 'assigned'", name=op.f('ck_issues_extension_only_when_assigned')),
    sa.CheckConstraint("status IN ('reported', 'assigned', 'rectified', 'closed', 'cancelled')", name=op.f('ck_issues_valid_status')),
    sa.CheckConstraint("status NOT IN ('assigned', 'rectified', 'closed') OR (deadline_at IS NOT NULL AND community_id IS NOT NULL)", name=op.f('ck_issues_dispatched_has_deadline')),
    sa.CheckConstraint('(lat IS NULL) = (lon IS NULL)', name=op.f('ck_issues_lat_lon_together')),
    sa.CheckConstraint('lat IS NULL OR (lat BETWEEN -90 AND 90)', name=op.f('ck_issues_valid_latitude')),
    sa.CheckConstraint('lon IS NULL OR (lon BETWEEN -180 AND 180)', name=op.f('ck_issues_valid_longitude')),
    sa.CheckConstraint('rework_count >= 0', name=op.f('ck_issues_non_negative_rework')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_issues_category_id_categories')),
    sa.ForeignKeyConstraint(['community_id'], ['org_units.id'], name=op.f('fk_issues_community_id_org_units')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_issues_reporter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issues')),
    sa.UniqueConstraint('client_id', name=op.f('uq_issues_client_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_issues_public_id'))
    )
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issues_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issues_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issues_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_issues_lat_lon', ['lat', 'lon'], unique=False)
        batch_op.create_index(batch_op.f('ix_issues_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index('ix_issues_status_deadline', ['status', 'deadline_at'], unique=False)

    op.create_table('issue_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('acted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('report', 'dispatch', 'rectify', 'verify', 'reject', 'request_extension', 'approve_extension', 'deny_extension', 'dispute', 'cancel')", name=op.f('ck_issue_events_valid_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_issue_events_actor_id_users')),
    sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_issue_events_issue_id_issues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issue_events')),
    sa.UniqueConstraint('client_id', name=op.f('uq_issue_events_client_id'))
    )
    with op.batch_alter_table('issue_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issue_events_issue_id'), ['issue_id'], unique=False)

    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('uploader_id', sa.Integer(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('original_key', sa.String(length=255), nullable=False),
    sa.Column('display_key', sa.String(length=255), nullable=False),
    sa.Column('thumb_key', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('exif_lat', sa.Float(), nullable=True),
    sa.Column('exif_lon', sa.Float(), nullable=True),
    sa.Column('device_lat', sa.Float(), nullable=True),
    sa.Column('device_lon', sa.Float(), nullable=True),
    sa.Column('device_accuracy_m', sa.Float(), nullable=True),
    sa.Column('device_fix_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('before', 'after')", name=op.f('ck_photos_valid_kind')),
    sa.CheckConstraint('event_id IS NULL OR issue_id IS NOT NULL', name=op.f('ck_photos_event_implies_issue')),
    sa.ForeignKeyConstraint(['event_id'], ['issue_events.id'], name=op.f('fk_photos_event_id_issue_events')),
    sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_photos_issue_id_issues')),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_photos_uploader_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
    sa.UniqueConstraint('client_id', name=op.f('uq_photos_client_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_photos_public_id'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_issue_id'), ['issue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_photos_uploader_id'), ['uploader_id'], unique=False)



def downgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_uploader_id'))
        batch_op.drop_index(batch_op.f('ix_photos_sha256'))
        batch_op.drop_index(batch_op.f('ix_photos_issue_id'))
        batch_op.drop_index(batch_op.f('ix_photos_event_id'))

    op.drop_table('photos')
    with op.batch_alter_table('issue_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issue_events_issue_id'))

    op.drop_table('issue_events')
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.drop_index('ix_issues_status_deadline')
        batch_op.drop_index(batch_op.f('ix_issues_reporter_id'))
        batch_op.drop_index('ix_issues_lat_lon')
        batch_op.drop_index(batch_op.f('ix_issues_created_at'))
        batch_op.drop_index(batch_op.f('ix_issues_community_id'))
        batch_op.drop_index(batch_op.f('ix_issues_category_id'))

    op.drop_table('issues')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_org_unit_id'))

    op.drop_table('users')
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_units_path'))
        batch_op.drop_index(batch_op.f('ix_org_units_parent_id'))

    op.drop_table('org_units')
    op.drop_table('categories')
    op.drop_table('calendar_overrides')
