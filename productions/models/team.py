"""Who belongs to a production, what they did (activity, comments), and their own settings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .checklist import ChecklistItem, Production, Stage
from .crew import CrewMember
from .dates import validate_calendar_date


class Membership(models.Model):
    """A user's access to one production. "Role" means a job on set (CrewRole);
    this is what a login may see and do."""

    class Level(models.IntegerChoices):
        # Ordered: each level may do everything the ones below it may.
        VIEWER = 10, "Viewer"
        EDITOR = 20, "Editor"
        MANAGER = 30, "Manager"

    production = models.ForeignKey(Production, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    level = models.PositiveSmallIntegerField(choices=Level, default=Level.VIEWER)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-level", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "user"],
                name="membership_unique_user",
                violation_error_message="This person is already a member of this production.",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[10, 20, 30]), name="membership_level_known"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_level_display()} on {self.production}"


class Activity(models.Model):
    """One entry of a production's activity log, written by the service that
    made the change, in the same transaction. It names what it is about in
    text, so it outlives the item, stage or person it mentions."""

    class Kind(models.TextChoices):
        PRODUCTION_CREATED = "production_created", "Production created"
        PRODUCTION_EDITED = "production_edited", "Production edited"
        PRODUCTION_DELETED = "production_deleted", "Production deleted"
        PRODUCTION_RESTORED = "production_restored", "Production restored"
        PRODUCTION_ARCHIVED = "production_archived", "Production archived"
        PRODUCTION_UNARCHIVED = "production_unarchived", "Production unarchived"
        STAGE_STATUS = "stage_status", "Stage status"
        STAGE_DELETED = "stage_deleted", "Stage deleted"
        STAGE_RESTORED = "stage_restored", "Stage restored"
        STAGE_ADDED = "stage_added", "Stage added"
        STAGE_EDITED = "stage_edited", "Stage edited"
        ITEM_ADDED = "item_added", "Item added"
        ITEM_TICKED = "item_ticked", "Item ticked"
        ITEM_UNTICKED = "item_unticked", "Item unticked"
        ITEM_EDITED = "item_edited", "Item edited"
        ITEM_DELETED = "item_deleted", "Item deleted"
        ITEM_RESTORED = "item_restored", "Item restored"
        ITEM_MOVED = "item_moved", "Item moved"
        STAGES_REORDERED = "stages_reordered", "Stages reordered"
        COMMENTED = "commented", "Comment"
        TRASH_EMPTIED = "trash_emptied", "Trash emptied"
        MEMBER_ADDED = "member_added", "Member added"
        MEMBER_CHANGED = "member_changed", "Member level changed"
        MEMBER_REMOVED = "member_removed", "Member removed"
        INVITATION_RESENT = "invitation_resent", "Invitation sent again"
        CREW_ASSIGNED = "crew_assigned", "Crew assigned"
        CREW_REMOVED = "crew_removed", "Crew removed"
        CREW_CREATED = "crew_created", "Crew member added"
        ADMIN = "admin", "Changed in the admin"
        CHECKLIST_IMPORTED = "checklist_imported", "Checklist imported"
        PRODUCTION_CLONED = "production_cloned", "Production cloned"
        TEMPLATE_SAVED = "template_saved", "Saved as a template"
        DAY_ADDED = "day_added", "Day added"
        DAY_EDITED = "day_edited", "Day edited"
        DAY_MOVED = "day_moved", "Day moved"
        DAY_DUPLICATED = "day_duplicated", "Day duplicated"
        DAY_DELETED = "day_deleted", "Day deleted"
        DAY_RESTORED = "day_restored", "Day restored"
        CALL_ADDED = "call_added", "Call added"
        CALL_EDITED = "call_edited", "Call edited"
        CALL_REMOVED = "call_removed", "Call removed"
        CONFLICT_KEPT = "conflict_kept", "Conflict kept"
        LOCATION_ADDED = "location_added", "Location added"

    production = models.ForeignKey(Production, models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=30, choices=Kind)
    # What it is about, as it was called at the time.
    subject = models.CharField(max_length=300, blank=True)
    stage = models.ForeignKey(Stage, models.SET_NULL, null=True, blank=True, related_name="+")
    item = models.ForeignKey(
        ChecklistItem, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # {"field": [before, after]} for edits; free detail ("status", "note") else.
    changes = models.JSONField(default=dict, blank=True)
    # Set on each entry a bulk edit wrote (one per item), so it can be undone.
    bulk = models.ForeignKey(
        "productions.BulkAction", models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["production", "-created_at"], name="activity_feed_idx"),
            # A production's last entry (where a page's live updates start)
            # and the entries after a poll's: one index range, however long
            # the production's history (by id alone PostgreSQL walked back
            # past every newer entry of the other productions).
            models.Index(fields=["production", "id"], name="activity_last_idx"),
        ]

    VERBS = {
        Kind.PRODUCTION_CREATED: "created the production",
        Kind.PRODUCTION_EDITED: "edited the production details",
        Kind.PRODUCTION_DELETED: "moved the production to the trash",
        Kind.PRODUCTION_RESTORED: "restored the production",
        Kind.PRODUCTION_ARCHIVED: "archived the production",
        Kind.PRODUCTION_UNARCHIVED: "took out of the archive the production",
        Kind.STAGE_STATUS: "set the status of",
        Kind.STAGE_DELETED: "moved to the trash the stage",
        Kind.STAGE_RESTORED: "restored the stage",
        Kind.STAGE_ADDED: "added the stage",
        Kind.STAGE_EDITED: "edited the stage",
        Kind.ITEM_ADDED: "added",
        Kind.ITEM_TICKED: "ticked",
        Kind.ITEM_UNTICKED: "unticked",
        Kind.ITEM_EDITED: "edited",
        Kind.ITEM_DELETED: "moved to the trash",
        Kind.ITEM_RESTORED: "restored",
        Kind.COMMENTED: "commented on",
        Kind.TRASH_EMPTIED: "emptied the trash",
        Kind.MEMBER_ADDED: "added the member",
        Kind.MEMBER_CHANGED: "changed the access of",
        Kind.MEMBER_REMOVED: "removed the member",
        Kind.INVITATION_RESENT: "sent the invitation again to",
        Kind.CREW_ASSIGNED: "assigned",
        Kind.CREW_REMOVED: "removed from the crew",
        Kind.CREW_CREATED: "added the freelancer",
        Kind.ADMIN: "changed in the admin",
        Kind.CHECKLIST_IMPORTED: "imported a checklist file",
        Kind.PRODUCTION_CLONED: "created the production as a copy of",
        Kind.TEMPLATE_SAVED: "saved the stages and items as the template",
        Kind.DAY_ADDED: "added the day",
        Kind.DAY_EDITED: "edited the day",
        Kind.DAY_MOVED: "moved the day",
        Kind.DAY_DUPLICATED: "duplicated the day",
        Kind.DAY_DELETED: "moved to the trash the day",
        Kind.DAY_RESTORED: "restored the day",
        Kind.CALL_ADDED: "called",
        Kind.CALL_EDITED: "changed the call of",
        Kind.CALL_REMOVED: "removed the call of",
        Kind.CONFLICT_KEPT: "kept anyway the conflict",
        Kind.LOCATION_ADDED: "added the location",
    }

    def __str__(self):
        return f"{self.actor_name or 'Someone'} {self.verb} {self.subject}".strip()

    @property
    def verb(self):
        return self.VERBS.get(self.kind, self.get_kind_display().lower())

    @property
    def edits(self):
        """[(field, before, after)] for the changes that were edits."""
        return [
            (name.replace("_", " "), pair[0], pair[1])
            for name, pair in self.changes.items()
            if isinstance(pair, list) and len(pair) == 2
        ]


class Comment(models.Model):
    item = models.ForeignKey(ChecklistItem, models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, validators=[validate_calendar_date])

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:50]


class Profile(models.Model):
    """A user's own settings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", primary_key=True
    )
    # An IANA name ("Europe/Paris"); empty until set, or guessed from the browser.
    time_zone = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"{self.user}: {self.time_zone or 'default time zone'}"


class CalendarToken(models.Model):
    """A secret calendar subscription link (.ics) of one user.

    Scoped to a production, and optionally to one crew member on it (their
    items only). The feed shows what `owner` may see at the time it is
    fetched: losing access to the production ends the feed. Regenerating the
    secret revokes the old link."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_tokens"
    )
    production = models.ForeignKey(Production, models.CASCADE, related_name="calendar_tokens")
    crew_member = models.ForeignKey(
        CrewMember, models.CASCADE, null=True, blank=True, related_name="calendar_tokens"
    )
    secret = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "production", "crew_member"],
                name="calendar_token_unique_person",
            ),
            models.UniqueConstraint(
                fields=["owner", "production"],
                condition=Q(crew_member__isnull=True),
                name="calendar_token_unique_production",
            ),
        ]

    def __str__(self):
        scope = f" ({self.crew_member})" if self.crew_member_id else ""
        return f"{self.owner}: {self.production}{scope}"
