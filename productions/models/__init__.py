"""The domain, by concern; everything is importable from productions.models.

- crew: CrewRole, CrewMember.
- checklist: Production, Stage, ChecklistItem, Assignment.
- team: Membership, Activity, Comment, Profile, CalendarToken.
- bulk: BulkAction (one undoable bulk edit).
- templates: StageTemplate and ChecklistItemTemplate (per kind), and
  ChecklistTemplate (stages and items saved under a name).
"""

from .bulk import BulkAction
from .checklist import (
    Assignment,
    ChecklistItem,
    ChecklistItemQuerySet,
    LiveManager,
    Production,
    ProductionQuerySet,
    Progress,
    Stage,
    StageQuerySet,
)
from .crew import CrewMember, CrewRole
from .dates import (
    EARLIEST_DATE,
    LATEST_DATE,
    in_calendar_range,
    validate_calendar_date,
)
from .team import Activity, CalendarToken, Comment, Membership, Profile
from .templates import ChecklistItemTemplate, ChecklistTemplate, StageTemplate

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
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
    "in_calendar_range",
    "validate_calendar_date",
]
