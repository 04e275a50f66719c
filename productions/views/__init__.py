"""Plain function views, split by concern; URLs import them from here."""

from .activity import production_activity
from .checklist import (
    item_add,
    item_comments,
    item_delete,
    item_deleted,
    item_detail,
    item_edit,
    item_restore,
    item_toggle,
    stage_delete,
    stage_deleted,
    stage_restore,
    stage_status,
)
from .crew import assignment_add, assignment_remove, crew_member_add
from .exports import production_export_csv
from .members import (
    invitation_accept,
    member_add,
    member_level,
    member_remove,
    member_resend_invitation,
    production_members,
)
from .productions import (
    deleted_productions,
    production_create,
    production_delete,
    production_deleted,
    production_detail,
    production_edit,
    production_list,
    production_restore,
)
from .trash import production_trash, trash_empty

__all__ = [
    "assignment_add",
    "assignment_remove",
    "crew_member_add",
    "deleted_productions",
    "invitation_accept",
    "item_add",
    "item_comments",
    "item_delete",
    "item_deleted",
    "item_detail",
    "item_edit",
    "item_restore",
    "item_toggle",
    "member_add",
    "member_level",
    "member_remove",
    "member_resend_invitation",
    "production_activity",
    "production_create",
    "production_delete",
    "production_deleted",
    "production_detail",
    "production_edit",
    "production_export_csv",
    "production_list",
    "production_members",
    "production_restore",
    "production_trash",
    "stage_delete",
    "stage_deleted",
    "stage_restore",
    "stage_status",
    "trash_empty",
]
