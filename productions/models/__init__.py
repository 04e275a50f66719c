"""The domain, by concern; everything is importable from productions.models.

- crew: CrewRole, CrewMember.
- checklist: Production, Stage, ChecklistItem, Assignment.
- team: Membership, Activity, Comment, Profile, CalendarToken.
- schedule: ShootDay, Call, Location (the schedule and call sheets).
- dates: the stored date range (1900-2200).
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
from .schedule import Call, Location, ShootDay
from .team import Activity, CalendarToken, Comment, Membership, Profile
from .templates import ChecklistItemTemplate, ChecklistTemplate, StageTemplate

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "Activity",
    "Assignment",
    "BulkAction",
    "CalendarToken",
    "Call",
    "ChecklistItem",
    "ChecklistItemQuerySet",
    "ChecklistItemTemplate",
    "ChecklistTemplate",
    "Comment",
    "CrewMember",
    "CrewRole",
    "LiveManager",
    "Location",
    "Membership",
    "Production",
    "ProductionQuerySet",
    "Profile",
    "Progress",
    "ShootDay",
    "Stage",
    "StageQuerySet",
    "StageTemplate",
    "in_calendar_range",
    "validate_calendar_date",
]
