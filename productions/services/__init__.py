"""Every write to the productions data goes through a function here.

Each function is one transaction, takes the acting user as `by=`, and writes
its activity entry in that same transaction. Views validate input and call
these; the admin does too. Split by concern: productions, checklist (stages,
items, comments), crew, members, trash, schedule (days, calls, locations).
"""

from . import trash
from .activity import log
from .admin import delete_from_admin, save_from_admin
from .bulk import bulk_edit, undo_bulk
from .calendar import calendar_link, regenerate_calendar_link
from .checklist import (
    FOLLOW_CHECKLIST,
    add_comment,
    add_item,
    add_items,
    delete_item,
    delete_stage,
    restore_item,
    restore_stage,
    set_item_done,
    set_stage_status,
    update_item,
)
from .cloning import DatesOutOfRange, clone_production
from .counters import recount_stages
from .crew import add_assignment, create_crew_member, remove_assignment
from .imports import ImportChanged, ImportRefused, apply_checklist_import, import_production
from .members import (
    add_member,
    change_level,
    invite_member,
    remove_member,
    resend_invitation,
)
from .ordering import BadOrder, move_item, reorder_stages
from .productions import (
    RESERVED_SLUGS,
    create_production,
    delete_production,
    restore_production,
    unique_slug,
    update_production,
)
from .profile import set_time_zone
from .schedule import (
    add_call,
    add_day,
    add_location,
    delete_day,
    duplicate_day,
    keep_conflict,
    move_day,
    remove_call,
    restore_day,
    update_call,
    update_day,
)
from .templates import create_production_from_template, delete_template, save_as_template
from .trash import empty_trash, purge_expired

__all__ = [
    "FOLLOW_CHECKLIST",
    "RESERVED_SLUGS",
    "BadOrder",
    "DatesOutOfRange",
    "ImportChanged",
    "ImportRefused",
    "add_assignment",
    "add_call",
    "add_comment",
    "add_day",
    "add_item",
    "add_items",
    "add_location",
    "add_member",
    "apply_checklist_import",
    "bulk_edit",
    "calendar_link",
    "change_level",
    "clone_production",
    "create_crew_member",
    "create_production",
    "create_production_from_template",
    "delete_day",
    "delete_from_admin",
    "delete_item",
    "delete_production",
    "delete_stage",
    "delete_template",
    "duplicate_day",
    "empty_trash",
    "import_production",
    "invite_member",
    "keep_conflict",
    "log",
    "move_day",
    "move_item",
    "purge_expired",
    "recount_stages",
    "regenerate_calendar_link",
    "remove_assignment",
    "remove_call",
    "remove_member",
    "reorder_stages",
    "resend_invitation",
    "restore_day",
    "restore_item",
    "restore_production",
    "restore_stage",
    "save_as_template",
    "save_from_admin",
    "set_item_done",
    "set_stage_status",
    "set_time_zone",
    "trash",
    "undo_bulk",
    "unique_slug",
    "update_call",
    "update_day",
    "update_item",
    "update_production",
]
