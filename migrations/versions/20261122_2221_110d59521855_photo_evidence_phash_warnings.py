"""photo evidence: perceptual hash and evidence warnings

Two nullable columns on photos, so existing rows stay valid without a backfill:

- phash: the 64-bit perceptual hash of the upright thumbnail, as 16 hex digits,
  used to recognise a "before" photo sent again as an "after" photo. Rows from
  before this revision have none; the check skips them.
- evidence_warnings: what the checks found when an "after" photo was attached
  (JSON list of {"code", "details"}); NULL means never checked.

Revision ID: 110d59521855
Revises: a833ab69ff18
Create Date: 2026-11-22 22:21:33.236749+00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "110d59521855"
down_revision = "a833ab69ff18"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("photos") as batch_op:
        batch_op.add_column(sa.Column("phash", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("evidence_warnings", sa.JSON(), nullable=True))


def downgrade():
    # The hashes and findings are lost; the photos and their objects stay as they are.
    with op.batch_alter_table("photos") as batch_op:
        batch_op.drop_column("evidence_warnings")
        batch_op.drop_column("phash")
