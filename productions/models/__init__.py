"""The domain, by concern; everything is importable from productions.models.

- crew: CrewRole, CrewMember.
- checklist: Production, Stage, ChecklistItem, Assignment, the templates.
- team: Membership, Activity, Comment, Profile, CalendarToken.
- bulk: BulkAction (one undoable bulk edit).
- templates: ChecklistTemplate (stages and items saved under a name).
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
from .templates import ChecklistTemplate

__all__ = [
    "Activity",
    "Assignment",
    "BulkAction",
    "CalendarToken",
    "ChecklistItem",
    "ChecklistItemQuerySet",
    "ChecklistItemTemplate",
    "ChecklistTemplate",
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
