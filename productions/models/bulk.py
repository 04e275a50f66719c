from django.conf import settings
from django.db import models
from django.utils import timezone

from .checklist import Production


class BulkAction(models.Model):
    """One bulk edit of many checklist items (issue 6, capability 6).

    Each item it changed gets its own activity entry pointing here; `undo`
    keeps, per item, the values it had before and the version it was left at,
    so the whole action can be undone in one step (items changed since are
    left alone)."""

    class Action(models.TextChoices):
        DONE = "done", "Mark done"
        UNDONE = "undone", "Mark not done"
        ASSIGN = "assign", "Assign to"
        DUE = "due", "Set due date"
        MOVE = "move", "Move to stage"
        DELETE = "delete", "Move to the trash"

    production = models.ForeignKey(Production, models.CASCADE, related_name="bulk_actions")
    action = models.CharField(max_length=20, choices=Action)
    summary = models.CharField(max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # [{"pk": item pk, "version": version after, "before": {field: value}}]
    undo = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.summary
