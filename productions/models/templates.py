"""Named checklist templates: a production's stages and items, saved to start others from.

Unlike the per-kind StageTemplate (the stages every new production of a kind
starts with, kept here too with its items), a ChecklistTemplate is saved by a manager from a real
production and is shared with everyone who uses the app. It keeps what a new
production needs and nothing about the people of the old one: stage names,
phases, notes, item titles, notes and whether they are required, and dates
as offsets in days from the production's start date. No crew, no done-state.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from ..fields import DATE, FLAG, LONG_TEXT, TEMPLATE, TEXT
from .checklist import ChecklistItem, Production, Stage

# A template holds at most this many items (a production's checklist can be
# larger: clone it instead).
MAX_TEMPLATE_ITEMS = 5000
MAX_TEMPLATE_STAGES = 200
# Offsets are days from the production's start date: a century either way.
MAX_OFFSET_DAYS = 36500

STAGE_KEYS = {"name", "phase", "notes", "start_offset", "due_offset", "items"}
# An item's keys: those of the checklist-item fields a template keeps
# (fields.ITEM_FIELDS' `template`); a date is kept as an offset. Only the
# title must be there: a template saved before a field was added lacks it,
# and a new production's item gets the model's default.
ITEM_KEYS = {f.template for f in TEMPLATE}


def _offset(value, where):
    if value is None:
        return
    if type(value) is not int or abs(value) > MAX_OFFSET_DAYS:
        raise ValidationError(
            f"{where}: an offset is a whole number of days, at most {MAX_OFFSET_DAYS} either way."
        )


def _text(value, where, *, max_length, required):
    if not isinstance(value, str) or len(value) > max_length or (required and not value.strip()):
        raise ValidationError(f"{where}: text of at most {max_length} characters is needed.")


def validate_template_stages(value):
    """The shape ChecklistTemplate.stages must have (see the model), checked
    wherever it is written (services and the admin)."""
    if not isinstance(value, list) or len(value) > MAX_TEMPLATE_STAGES:
        raise ValidationError(f"A list of at most {MAX_TEMPLATE_STAGES} stages is needed.")
    items = 0
    phases = set(Stage.Phase.values)
    for n, stage in enumerate(value, 1):
        where = f"Stage {n}"
        if not isinstance(stage, dict) or set(stage) != STAGE_KEYS:
            raise ValidationError(f"{where}: needs exactly {', '.join(sorted(STAGE_KEYS))}.")
        _text(stage["name"], where, max_length=200, required=True)
        _text(stage["notes"], where, max_length=5000, required=False)
        if stage["phase"] not in phases:
            raise ValidationError(f"{where}: unknown phase.")
        _offset(stage["start_offset"], where)
        _offset(stage["due_offset"], where)
        if not isinstance(stage["items"], list):
            raise ValidationError(f"{where}: items must be a list.")
        for m, item in enumerate(stage["items"], 1):
            where = f"Stage {n}, item {m}"
            if not isinstance(item, dict) or "title" not in item or not set(item) <= ITEM_KEYS:
                raise ValidationError(
                    f"{where}: needs a title, and nothing but {', '.join(sorted(ITEM_KEYS))}."
                )
            for f in TEMPLATE:
                if f.template not in item:
                    continue
                value = item[f.template]
                if f.kind in (TEXT, LONG_TEXT):
                    field = ChecklistItem._meta.get_field(f.name)
                    _text(value, where, max_length=field.max_length, required=not field.blank)
                elif f.kind == FLAG:
                    if type(value) is not bool:
                        raise ValidationError(f"{where}: {f.template} is true or false.")
                elif f.kind == DATE:
                    _offset(value, where)
        items += len(stage["items"])
    if items > MAX_TEMPLATE_ITEMS:
        raise ValidationError(f"A template holds at most {MAX_TEMPLATE_ITEMS} items.")


class ChecklistTemplateQuerySet(models.QuerySet):
    def for_list(self):
        """The templates page's rows: who saved each, without the stages themselves."""
        return self.select_related("created_by").defer("stages").order_by(Lower("name"), "pk")


class ChecklistTemplate(models.Model):
    """Stages and items saved from a production under a name, to start new ones from.

    `stages` is a list of {name, phase, notes, start_offset, due_offset, items:
    [{title, notes, required, due_offset, …}]} (an item's keys: ITEM_KEYS);
    offsets are days from the production's start date, or null when either
    date is unknown."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Production.Kind)
    description = models.TextField(blank=True, max_length=2000)
    stages = models.JSONField(default=list, blank=True, validators=[validate_template_stages])
    # Kept with the stages (see save()), so the list shows them without reading them.
    stage_count = models.PositiveIntegerField(default=0, editable=False)
    item_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="checklist_template_unique_name_ci",
                violation_error_message="A template with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        stages = self.stages if isinstance(self.stages, list) else []
        self.stage_count = len(stages)
        self.item_count = sum(len(s.get("items") or []) for s in stages if isinstance(s, dict))
        if (fields := kwargs.get("update_fields")) is not None and "stages" in fields:
            kwargs["update_fields"] = {*fields, "stage_count", "item_count"}
        super().save(*args, **kwargs)


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
