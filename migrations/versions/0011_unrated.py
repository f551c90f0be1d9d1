"""Unrated subjects: subjects.grade and score are NULL (未评价) while the file holds nothing to grade.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:20:00

Subjects without an active credit record and without an unremoved list entry were shown as 良 with a
score of 0 (the old column default, never computed); they become NULL. grade_changes may now record a
subject going back to unrated (every record withdrawn).
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

NOTHING_TO_GRADE = """
    NOT EXISTS (SELECT 1 FROM credit_records r WHERE r.subject_id = subjects.id AND r.status = 'active')
    AND NOT EXISTS (SELECT 1 FROM list_entries e WHERE e.subject_id = subjects.id AND e.removed_at IS NULL)
"""


def upgrade():
    with op.batch_alter_table('subjects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_subjects_grade'), type_='check')
        batch_op.alter_column('grade', existing_type=sa.String(length=1), nullable=True, server_default=None)
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=True, server_default=None)
        batch_op.create_check_constraint(batch_op.f('ck_subjects_grade'), "grade IS NULL OR grade IN ('A','B','C','D')")
    with op.batch_alter_table('grade_changes', schema=None) as batch_op:
        batch_op.alter_column('grade', existing_type=sa.String(length=1), nullable=True)
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=True)
    op.execute(f"UPDATE subjects SET grade = NULL, score = NULL WHERE {NOTHING_TO_GRADE}")


def downgrade():
    op.execute("UPDATE subjects SET grade = 'B', score = 0 WHERE grade IS NULL")
    op.execute("UPDATE grade_changes SET grade = 'B', score = 0 WHERE grade IS NULL")
    with op.batch_alter_table('grade_changes', schema=None) as batch_op:
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=False)
        batch_op.alter_column('grade', existing_type=sa.String(length=1), nullable=False)
    with op.batch_alter_table('subjects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_subjects_grade'), type_='check')
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=False, server_default='0')
        batch_op.alter_column('grade', existing_type=sa.String(length=1), nullable=False, server_default='B')
        batch_op.create_check_constraint(batch_op.f('ck_subjects_grade'), "grade IN ('A','B','C','D')")
