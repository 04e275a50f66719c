"""The domain, by concern; everything is importable from productions.models.

- crew: CrewRole, CrewMember.
- checklist: Production, Stage, ChecklistItem, Assignment, the templates.
- team: Membership, Activity, Comment, Profile, CalendarToken.
- bulk: BulkAction (one undoable bulk edit).
"""

from .bulk import BulkAction
from .checklist import (
    Assignment,
    ChecklistItem,
    ChecklistItemQuerySet,
    ChecklistItemTemplate,
    LiveManager,
    Production,
    ProductionQuerySet,
    Progress,
    Stage,
    StageQuerySet,
    StageTemplate,
)
from .crew import CrewMember, CrewRole
from .team import Activity, CalendarToken, Comment, Membership, Profile

__all__ = [
    "Activity",
    "Assignment",
    "BulkAction",
    "CalendarToken",
    "ChecklistItem",
    "ChecklistItemQuerySet",
    "ChecklistItemTemplate",
    "Comment",
    "CrewMember",
    "CrewRole",
    "LiveManager",
    "Membership",
    "Production",
    "ProductionQuerySet",
    "Profile",
    "Progress",
    "Stage",
    "StageQuerySet",
    "StageTemplate",
]
