"""The schedule: shoot days, the people called on them, and the locations.

Scope of locations: the app has no team that owns productions (access is a
membership per production) and the crew directory is already one shared
list for the whole office (access.crew_for_user), so locations are one
shared list too: a location made for one production can be picked on the
days of any other. access.locations_for_user() is the one place that
decides which locations a user may pick, should teams come.

Times: a day's dates and times are wall-clock times in its production's
time zone (Production.time_zone), as a coordinator writes them on a call
sheet. A wrap after midnight is the wrap time with `wraps_next_day` set
("+1"). Converting to other zones (the viewer's, another production's for a
conflict) happens when they are read (productions/schedule_queries.py).

Sending call sheets comes later and hangs off these models: a numbered
CallSheetVersion per issue of a day (its calls as sent), a Recipient per
person per version (a Call's person, email, a signed token, sent /
delivered / opened / confirmed). A Call's pk is stable across edits and the
day has a `version`, so a re-issue can say what changed for each call.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from .checklist import LiveManager, Production, Stage
from .crew import CrewMember, CrewRole
from .dates import validate_calendar_date


class Location(models.Model):
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, max_length=1000)
    access_notes = models.TextField("parking and access", blank=True, max_length=2000)
    nearest_hospital = models.TextField(blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="location_unique_name_ci",
                violation_error_message="A location with this name already exists.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="location_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class ShootDayQuerySet(QuerySet):
    def in_order(self):
        return self.order_by("date", "position", "pk")


class ShootDay(models.Model):
    """One day of a production's schedule (a shoot, a rehearsal, a show…)."""

    class Kind(models.TextChoices):
        SHOOT = "shoot", "Shoot"
        REHEARSAL = "rehearsal", "Rehearsal"
        TRAVEL = "travel", "Travel"
        SHOW = "show", "Show"
        LOAD_IN = "load_in", "Load-in"
        LOAD_OUT = "load_out", "Load-out"
        RECCE = "recce", "Recce"
        PREP = "prep", "Prep"
        DAY_OFF = "day_off", "Day off"

    production = models.ForeignKey(Production, models.CASCADE, related_name="days")
    date = models.DateField(validators=[validate_calendar_date])
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SHOOT)
    stage = models.ForeignKey(
        Stage, models.SET_NULL, null=True, blank=True, related_name="days",
        help_text="The stage of the checklist this day belongs to.",
    )  # fmt: skip
    # Among days on the same date (a travel day and a show, say).
    position = models.PositiveIntegerField(default=0)
    call_time = models.TimeField("general crew call", null=True, blank=True)
    wrap_time = models.TimeField(null=True, blank=True)
    wraps_next_day = models.BooleanField(
        "wraps after midnight", default=False, help_text="The wrap is on the next day (+1)."
    )
    locations = models.ManyToManyField(Location, blank=True, related_name="days")
    notes = models.TextField(blank=True, max_length=5000)
    weather = models.CharField("weather", max_length=200, blank=True)
    # Conflict keys (schedule_queries.Conflict.key) someone chose to keep.
    kept_conflicts = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LiveManager.from_queryset(ShootDayQuerySet)()
    all_objects = ShootDayQuerySet.as_manager()

    class Meta:
        ordering = ["date", "position", "pk"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(wraps_next_day=False) | Q(wrap_time__isnull=False),
                name="shoot_day_next_day_wrap_has_time",
                violation_error_message="A wrap after midnight needs a wrap time.",
            ),
            models.CheckConstraint(
                condition=Q(date__gte=datetime.date(1900, 1, 1))
                & Q(date__lte=datetime.date(2200, 12, 31)),
                name="shoot_day_date_in_range",
            ),
        ]
        indexes = [models.Index(fields=["production", "date"], name="shoot_day_schedule_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date.isoformat()}"

    @property
    def zone(self):
        return self.production.zone


class Call(models.Model):
    """One person called on a day: a crew member, or a member (a login)."""

    day = models.ForeignKey(ShootDay, models.CASCADE, related_name="calls")
    crew_member = models.ForeignKey(
        CrewMember, models.CASCADE, null=True, blank=True, related_name="calls"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="calls"
    )
    role = models.ForeignKey(
        CrewRole, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="role on the day",
    )  # fmt: skip
    # Empty: the day's general crew call.
    call_time = models.TimeField(null=True, blank=True)
    location = models.ForeignKey(
        Location, models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    notes = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["call_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(crew_member__isnull=False, user__isnull=True)
                | Q(crew_member__isnull=True, user__isnull=False),
                name="call_one_person",
                violation_error_message="A call is for a crew member or a member, not both.",
            ),
            models.UniqueConstraint(
                fields=["day", "crew_member"],
                condition=Q(crew_member__isnull=False),
                name="call_unique_crew_member_per_day",
                violation_error_message="This person is already called on this day.",
            ),
            models.UniqueConstraint(
                fields=["day", "user"],
                condition=Q(user__isnull=False),
                name="call_unique_user_per_day",
                violation_error_message="This person is already called on this day.",
            ),
        ]

    def __str__(self):
        return f"{self.person_name} on {self.day}"

    @property
    def person_name(self):
        if self.crew_member_id:
            return self.crew_member.name
        return self.user.get_full_name() or self.user.get_username()
