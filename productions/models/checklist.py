"""Productions, their stages and checklist items, crew assignments, and the per-kind templates."""

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, models
from django.db.models import BooleanField, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from .crew import CrewMember, CrewRole
from .dates import validate_calendar_date

DATES = [validate_calendar_date]


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


class LiveManager(models.Manager):
    """Hides what is in the trash. `all_objects` still sees it (and the admin
    and cascading deletes use the plain base manager)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class ProductionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def active(self):
        """Not archived."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

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
    start_date = models.DateField(null=True, blank=True, validators=DATES)
    end_date = models.DateField(null=True, blank=True, validators=DATES)
    description = models.TextField(blank=True, max_length=5000)
    status = models.CharField(max_length=20, choices=Status, default=Status.PLANNING)
    # An IANA name: the zone its schedule's times are written in (its
    # creator's by default); empty for the site's.
    time_zone = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Bumped by every edit of the fields above: a save carrying an older
    # version was made over someone else's change and is refused.
    version = models.PositiveIntegerField(default=1)
    # Live items on live stages, kept by the services in the transaction of
    # each change (`manage.py check_counters` verifies them), so no page
    # counts rows to show progress.
    item_count = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    # Bumped by every logged change: open pages poll it to see whether
    # anything changed since they last looked.
    live_version = models.PositiveBigIntegerField(default=0)
    # Set when a manager archives the production: it leaves the default list
    # and My work, and is found again under "Archived".
    archived_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LiveManager.from_queryset(ProductionQuerySet)()
    all_objects = ProductionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        base_manager_name = "all_objects"
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
        return Progress(self.done_count, self.item_count)

    @property
    def zone(self):
        """The zoneinfo its schedule's times are in."""
        return zone_of(self.time_zone)


def zone_of(name):
    """The zoneinfo of an IANA name, else the site's (settings.TIME_ZONE)."""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class StageQuerySet(models.QuerySet):
    def for_checklist(self):
        """The production page's stages, in order, with who set a status by hand."""
        return self.select_related("status_set_by").order_by("position", "pk")

    def with_open_required(self):
        """Each stage with `open_required`, its open required (live) items:
        what holding_up() counts, for every stage of a page in its own query."""
        rows = ChecklistItem.objects.filter(stage=OuterRef("pk"), required=True, done=False)
        count = rows.order_by().values("stage").annotate(n=models.Count("pk")).values("n")
        return self.annotate(
            open_required=Coalesce(Subquery(count, output_field=models.IntegerField()), 0)
        )

    def holding_up(self):
        """Stages not done that have open required (live) items, in order,
        each with `open_required`: one grouped query."""
        # Filtered before the count, so only open required rows are joined.
        return (
            self.exclude(status=Stage.Status.DONE)
            .filter(items__required=True, items__done=False, items__deleted_at__isnull=True)
            .annotate(open_required=models.Count("items"))
            .order_by("position", "pk")
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
    # Set when someone chose the status by hand: the checklist then no longer
    # moves it until they hand it back ("Follow the checklist").
    status_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_set_at = models.DateTimeField(null=True, blank=True)
    status_manual = models.BooleanField(default=False)
    # Live items of the stage, kept like Production.item_count.
    item_count = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    start_date = models.DateField(null=True, blank=True, validators=DATES)
    due_date = models.DateField(null=True, blank=True, validators=DATES)
    notes = models.TextField(blank=True, max_length=5000)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LiveManager.from_queryset(StageQuerySet)()
    all_objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["production", "position"], name="stage_order_idx")]

    def __str__(self):
        return self.name

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    def status_from_checklist(self, *, handed_back: bool = False) -> str:
        """The status the checklist gives this stage, from its counters: the
        one home of the rule every write that moves them follows.

        All items done makes it done; some done makes it in progress;
        unticking everything in a done stage sends it back to not started. A
        blocked stage stays blocked, and a status someone chose by hand stays
        until they hand the stage back to the checklist (`handed_back`: then
        it follows the checklist again, not started when nothing is done)."""
        if not handed_back and (self.status_manual or self.status == self.Status.BLOCKED):
            return self.status
        total, done = self.item_count, self.done_count
        if total and done == total:
            return self.Status.DONE
        if done:
            return self.Status.IN_PROGRESS
        if self.status == self.Status.DONE or handed_back:
            return self.Status.NOT_STARTED
        return self.status

    @property
    def progress(self):
        return Progress(self.done_count, self.item_count)


class ChecklistItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done=False)

    def for_checklist(self):
        """A stage's rows as its checklist shows them: open items first."""
        return self.select_related("assignee", "done_by").order_by("done", "position", "pk")

    def matching(self, text):
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(notes__icontains=text))

    def filtered(self, production, filters):
        """The rows matching the production page's filter: `filters` is the
        cleaned data of a ChecklistFilterForm (a missing or empty key is no
        filter). Every condition runs in the database."""
        qs = self.matching(filters.get("q"))
        if location := filters.get("location"):
            qs = qs.filter(location__icontains=location)
        assignee = filters.get("assignee")
        if assignee == "none":
            qs = qs.filter(assignee__isnull=True)
        elif assignee:
            qs = qs.filter(assignee_id=assignee)
        # Role and department: what the assignee does on this production.
        crew = Assignment.objects.filter(production=production, crew_member=OuterRef("assignee"))
        if role := filters.get("role"):
            qs = qs.filter(Exists(crew.filter(role_id=role)))
        if department := filters.get("department"):
            qs = qs.filter(Exists(crew.filter(role__department=department)))
        state = filters.get("state")
        if state == "open":
            qs = qs.filter(done=False)
        elif state == "done":
            qs = qs.filter(done=True)
        elif state == "overdue":
            qs = qs.filter(done=False, due_date__lt=timezone.localdate())
        if due_from := filters.get("due_from"):
            qs = qs.filter(due_date__gte=due_from)
        if due_to := filters.get("due_to"):
            qs = qs.filter(due_date__lte=due_to)
        return qs

    def after(self, cursor):
        """The rows after `cursor` (done, position, pk) in for_checklist() order:
        a keyset, so loading more stays right while others tick and add."""
        done, position, pk = cursor
        return self.filter(
            Q(done__gt=done)
            | Q(done=done, position__gt=position)
            | Q(done=done, position=position, pk__gt=pk)
        )

    def first_windows(self, stage_ids, size):
        """The first `size` rows of each of the stages (in for_checklist()
        order, this queryset's filters applied), in one query: the ids come
        from one small indexed LIMIT query per stage, joined with UNION ALL,
        so no row past a window is read however long the stage."""
        if not stage_ids:
            return self.none()
        # Compiled once, with a marker where each part takes its stage's id
        # (a parameter, filled in per stage below).
        marker = "(window_stage)"
        ids = self.filter(stage_id=RawSQL(marker[1:-1], ())).order_by("done", "position", "pk")
        sql, params = ids.values("pk")[:size].query.get_compiler(using=self.db).as_sql()
        assert sql.count(marker) == 1, sql
        before = sql[: sql.index(marker)].count("%s")
        sql = sql.replace(marker, "%s")
        # Each part in a subquery of its own: SQLite refuses LIMIT in a bare
        # part of a UNION.
        union = " UNION ALL ".join(
            f"SELECT * FROM ({sql}) AS window_{number}" for number in range(len(stage_ids))
        )
        params = tuple(
            param
            for stage_id in stage_ids
            for param in (*params[:before], stage_id, *params[before:])
        )
        if connections[self.db].vendor == "postgresql":
            # = ANY(ARRAY(…)): PostgreSQL reads the ids first and then the rows
            # by primary key; with IN (…) it may hash-join the ids against a
            # scan of the whole table (it did at 5,000 items).
            quote = connections[self.db].ops.quote_name
            column = f"{quote(self.model._meta.db_table)}.{quote(self.model._meta.pk.column)}"
            condition = RawSQL(f"{column} = ANY(ARRAY({union}))", params, BooleanField())
            return self.filter(condition).order_by("done", "position", "pk")
        return self.filter(pk__in=RawSQL(union, params)).order_by("done", "position", "pk")

    def of_production(self, production):
        """Live items on the production's live stages, in the page's order."""
        return self.filter(stage__production=production, stage__deleted_at__isnull=True).order_by(
            "stage__position", "stage__pk", "position", "pk"
        )


class ChecklistItem(models.Model):
    stage = models.ForeignKey(Stage, models.CASCADE, related_name="items")
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True, max_length=5000)
    location = models.CharField(max_length=200, blank=True, default="", db_default="")
    assignee = models.ForeignKey(
        CrewMember, models.SET_NULL, null=True, blank=True, related_name="checklist_items"
    )
    due_date = models.DateField(null=True, blank=True, validators=DATES)
    # A required item holds its stage back: the stage cannot be set to Done
    # while one is open.
    required = models.BooleanField(default=False)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True, validators=DATES)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LiveManager.from_queryset(ChecklistItemQuerySet)()
    all_objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["stage", "position"], name="item_order_idx"),
            # A stage's checklist window: open items first, in order, live only.
            models.Index(
                fields=["stage", "done", "position", "id"],
                condition=Q(deleted_at__isnull=True),
                name="item_checklist_window_idx",
            ),
            # Which stage holds the production up (stage gates): a stage's open
            # required items, counted without reading its other rows.
            models.Index(
                fields=["stage"],
                condition=Q(required=True, done=False, deleted_at__isnull=True),
                name="item_open_required_idx",
            ),
        ]
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
