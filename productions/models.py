from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.urls import reverse


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


class CrewRole(models.Model):
    class Department(models.TextChoices):
        PRODUCTION = "production", "Production"
        DIRECTION = "direction", "Direction"
        CAMERA = "camera", "Camera"
        LIGHTING = "lighting", "Lighting"
        SOUND = "sound", "Sound"
        ART = "art", "Art"
        WARDROBE = "wardrobe", "Wardrobe"
        HAIR_MAKEUP = "hair_makeup", "Hair & makeup"
        CHOREOGRAPHY = "choreography", "Choreography"
        POST_PRODUCTION = "post_production", "Post-production"
        LOGISTICS = "logistics", "Logistics"
        TALENT = "talent", "Talent"

    name = models.CharField(max_length=100)
    department = models.CharField(max_length=20, choices=Department)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="crew_role_unique_name_ci",
                violation_error_message="A crew role with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class CrewMember(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    default_role = models.ForeignKey(
        CrewRole, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="crew_member",
        help_text="The login this crew member uses, if they have one.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # Many freelancers have no email on file, so only non-empty ones
            # must be unique (and case does not make a different address).
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="crew_member_unique_email",
                violation_error_message="A crew member with this email already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class ProductionQuerySet(models.QuerySet):
    def with_progress(self):
        return self.annotate(
            item_count=Count("stages__items"),
            done_count=Count("stages__items", filter=Q(stages__items__done=True)),
        )

    def search(self, text):
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text) | Q(artist__icontains=text) | Q(venue__icontains=text)
        )


class Production(models.Model):
    class Kind(models.TextChoices):
        MUSIC_VIDEO = "music_video", "Music video"
        CONCERT = "concert", "Concert"
        FILM = "film", "Film"
        TV = "tv", "TV"
        THEATRE = "theatre", "Theatre"
        PHOTO_SHOOT = "photo_shoot", "Photo shoot"
        FASHION_SHOW = "fashion_show", "Fashion show"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        IN_PRODUCTION = "in_production", "In production"
        WRAPPED = "wrapped", "Wrapped"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    artist = models.CharField("artist / client", max_length=200, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.PLANNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="production_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("production_detail", args=[self.slug])

    @property
    def progress(self):
        """Needs ProductionQuerySet.with_progress()."""
        return Progress(self.done_count, self.item_count)

    def checklist_progress(self):
        """One aggregate query, for refreshing the progress bar after a change."""
        counts = ChecklistItem.objects.filter(stage__production=self).aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(done=True))
        )
        return Progress(counts["done"], counts["total"])


class StageQuerySet(models.QuerySet):
    def with_progress(self):
        return self.annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=Q(items__done=True)),
        )


class Stage(models.Model):
    class Phase(models.TextChoices):
        PRE_PRODUCTION = "pre_production", "Pre-production"
        PRODUCTION = "production", "Production"
        POST_PRODUCTION = "post_production", "Post-production"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"

    production = models.ForeignKey(Production, models.CASCADE, related_name="stages")
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase, default=Phase.PRE_PRODUCTION)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    due_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["production", "position"], name="stage_order_idx")]

    def __str__(self):
        return self.name

    @property
    def progress(self):
        """Needs StageQuerySet.with_progress()."""
        return Progress(self.done_count, self.item_count)


class ChecklistItem(models.Model):
    stage = models.ForeignKey(Stage, models.CASCADE, related_name="items")
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    assignee = models.ForeignKey(
        CrewMember, models.SET_NULL, null=True, blank=True, related_name="checklist_items"
    )
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["stage", "position"], name="item_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=False) | Q(done_at__isnull=False),
                name="checklist_item_done_has_done_at",
                violation_error_message="A done item needs the time it was done.",
            ),
        ]

    def __str__(self):
        return self.title


class Assignment(models.Model):
    production = models.ForeignKey(Production, models.CASCADE, related_name="assignments")
    crew_member = models.ForeignKey(CrewMember, models.CASCADE, related_name="assignments")
    role = models.ForeignKey(CrewRole, models.PROTECT, related_name="assignments")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "crew_member", "role"],
                name="assignment_unique_crew_role",
                violation_error_message="This crew member already has this role here.",
            ),
        ]

    def __str__(self):
        return f"{self.crew_member} – {self.role}"


class StageTemplate(models.Model):
    """A stage every new production of `kind` starts with."""

    kind = models.CharField(max_length=20, choices=Production.Kind)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Stage.Phase)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="stage_template_unique_name"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class ChecklistItemTemplate(models.Model):
    stage_template = models.ForeignKey(StageTemplate, models.CASCADE, related_name="items")
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title
