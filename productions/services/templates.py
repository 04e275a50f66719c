"""Named checklist templates: saving a production's stages and items under a
name, starting a new production from one, and deleting one."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower

from ..fields import DATE, TEMPLATE, default
from ..models import ChecklistItem, ChecklistTemplate, Stage
from ..models.templates import MAX_OFFSET_DAYS, MAX_TEMPLATE_ITEMS, validate_template_stages
from .activity import Kind, log
from .cloning import BATCH, shifted
from .productions import start_production

NAME_TAKEN = "A template with this name already exists: choose another."


def name_taken(name, *, exclude=None):
    """Whether a template has this name, ignoring case as the constraint does."""
    taken = ChecklistTemplate.objects.alias(lower=Lower("name")).filter(lower=Lower(Value(name)))
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return taken.exists()


def _offset(start, date):
    """Days from the production's start to `date`, or None when either is
    unknown (or when they are too far apart to mean anything)."""
    if start is None or date is None:
        return None
    days = (date - start).days
    return days if abs(days) <= MAX_OFFSET_DAYS else None


def layout_of(production):
    """The production's live stages and items as a template keeps them."""
    start = production.start_date
    stages = list(
        Stage.objects.filter(production=production)
        .order_by("position", "pk")
        .values("pk", "name", "phase", "notes", "start_date", "due_date")
    )
    # One row more than a template may hold: enough to refuse, without reading
    # a huge checklist whole.
    items = ChecklistItem.objects.filter(
        stage__production=production, stage__deleted_at__isnull=True
    ).order_by("stage", "position", "pk")
    items = list(items.values("stage_id", *(f.name for f in TEMPLATE))[: MAX_TEMPLATE_ITEMS + 1])
    if len(items) > MAX_TEMPLATE_ITEMS:
        raise ValidationError(
            f"A template holds at most {MAX_TEMPLATE_ITEMS} items; this production has more. "
            "Clone it instead."
        )
    per_stage = defaultdict(list)
    for item in items:
        per_stage[item["stage_id"]].append(
            {
                f.template: _offset(start, item[f.name]) if f.kind == DATE else item[f.name]
                for f in TEMPLATE
            }
        )
    return [
        {
            "name": stage["name"][:200],
            "phase": stage["phase"],
            "notes": stage["notes"][:5000],
            "start_offset": _offset(start, stage["start_date"]),
            "due_offset": _offset(start, stage["due_date"]),
            "items": per_stage[stage["pk"]],
        }
        for stage in stages
    ]


@transaction.atomic
def save_as_template(production, *, by, name, description=""):
    """Save the production's stages and items as the template `name` (unique,
    ignoring case; ValidationError on `name` when taken). Dates become days
    from the production's start; crew and done-state are left behind."""
    if name_taken(name):
        raise ValidationError({"name": NAME_TAKEN})
    stages = layout_of(production)
    validate_template_stages(stages)
    template = ChecklistTemplate(
        name=name,
        kind=production.kind,
        description=description,
        stages=stages,
        created_by=by,
    )
    try:
        # Someone saving the same name at the same moment: the constraint says no.
        with transaction.atomic():
            template.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"name": NAME_TAKEN}) from None
    log(
        production,
        Kind.TEMPLATE_SAVED,
        by=by,
        subject=template.name,
        changes={"stages": template.stage_count, "items": template.item_count},
    )
    return template


@transaction.atomic
def create_production_from_template(template, *, by, title, start_date=None, **fields):
    """A new production laid out from `template` (its kind unless `fields`
    say another): stages and items in order, each date `start_date` plus its
    offset when both are known. Its creator is its manager. Raises
    DatesOutOfRange, before writing anything, when a date cannot be reached."""
    layout = template.stages
    # Written by the services, but the admin could have edited it.
    validate_template_stages(layout)
    fields.setdefault("kind", template.kind)

    def when(offset, what):
        if start_date is None or offset is None:
            return None
        return shifted(start_date, offset, what)

    stage_dates = [
        (
            when(s["start_offset"], f"the start of “{s['name']}”"),
            when(s["due_offset"], f"the due date of “{s['name']}”"),
        )
        for s in layout
    ]

    def item_fields(i):
        """The item's fields (fields.TEMPLATE): dates from offsets, a missing
        key (a template saved before the field was added) the model's default."""
        values = {}
        for f in TEMPLATE:
            if f.kind == DATE:
                what = f"the {f.label.lower()} date of “{i['title']}”"
                values[f.name] = when(i.get(f.template), what)
            else:
                values[f.name] = i.get(f.template, default(f))
        return values

    item_values = [[item_fields(i) for i in s["items"]] for s in layout]

    # A zone left empty on the form is its creator's.
    fields["time_zone"] = fields.get("time_zone") or None
    production = start_production(by=by, title=title, start_date=start_date, **fields)
    stages = Stage.objects.bulk_create(
        Stage(
            production=production,
            name=s["name"],
            phase=s["phase"],
            notes=s["notes"],
            position=n,
            start_date=start,
            due_date=due,
            item_count=len(s["items"]),
        )
        for n, (s, (start, due)) in enumerate(zip(layout, stage_dates, strict=True), start=1)
    )
    items = [
        ChecklistItem(stage=stage, position=m, **values)
        for stage, stage_items in zip(stages, item_values, strict=True)
        for m, values in enumerate(stage_items, start=1)
    ]
    ChecklistItem.objects.bulk_create(items, batch_size=BATCH)
    log(
        production,
        Kind.PRODUCTION_CREATED,
        by=by,
        subject=production.title,
        changes={"template": template.name, "stages": len(stages), "items": len(items)},
        items=len(items),
    )
    production.item_count = len(items)
    return production


@transaction.atomic
def delete_template(template, *, by):
    """Delete a saved template (productions started from it keep their stages).

    Templates belong to no production, so there is no production log to write
    to: the productions it was saved from keep their "saved as" entry."""
    ChecklistTemplate.objects.filter(pk=template.pk).delete()
