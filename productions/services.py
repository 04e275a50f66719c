"""Every write to the productions data goes through a function here.

Views validate input and call these; each function is one transaction, so a
request never leaves half its changes behind. Activity logging, versions and
per-production permissions will hook in here rather than in views or signals.
"""

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.text import slugify

from .models import (
    Assignment,
    ChecklistItem,
    ChecklistItemTemplate,
    Production,
    Stage,
    StageTemplate,
)

# Slugs that would shadow another URL under /productions/.
RESERVED_SLUGS = {"new"}


def unique_slug(title):
    base = slugify(title)[:200] or "production"
    taken = RESERVED_SLUGS | set(
        Production.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_production(*, user, **fields):
    """Create a production with its kind's template stages and checklists."""
    production = Production(created_by=user, **fields)
    production.slug = unique_slug(production.title)
    production.save()

    templates = list(StageTemplate.objects.filter(kind=production.kind))
    stages = Stage.objects.bulk_create(
        Stage(
            production=production,
            name=template.name,
            phase=template.phase,
            position=position,
        )
        for position, template in enumerate(templates, start=1)
    )
    stage_for_template = {t.pk: s for t, s in zip(templates, stages, strict=True)}
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            stage=stage_for_template[item.stage_template_id],
            title=item.title,
            position=item.position,
        )
        for item in ChecklistItemTemplate.objects.filter(stage_template__in=templates)
    )
    return production


def update_production(production, **fields):
    for name, value in fields.items():
        setattr(production, name, value)
    production.save(update_fields=[*fields, "updated_at"])
    return production


def sync_stage_status(stage):
    """Move a stage's status along with its checklist.

    All items done makes it done; some done makes it in progress; unticking
    everything in a done stage sends it back to not started. A blocked stage
    stays blocked until someone unblocks it by hand.
    """
    # Lock the stage row first: two people ticking the last two items at once
    # must not both count before the other's tick and leave it "in progress".
    stage.status = (
        Stage.objects.select_for_update().values_list("status", flat=True).get(pk=stage.pk)
    )
    if stage.status == Stage.Status.BLOCKED:
        return stage
    counts = stage.items.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    if counts["total"] and counts["done"] == counts["total"]:
        status = Stage.Status.DONE
    elif counts["done"]:
        status = Stage.Status.IN_PROGRESS
    elif stage.status == Stage.Status.DONE:
        status = Stage.Status.NOT_STARTED
    else:
        status = stage.status
    if status != stage.status:
        stage.status = status
        stage.save(update_fields=["status"])
    return stage


def set_stage_status(stage, status):
    stage.status = status
    stage.save(update_fields=["status"])
    return stage


@transaction.atomic
def add_item(stage, *, title, assignee=None, due_date=None, notes=""):
    last = stage.items.aggregate(last=Max("position"))["last"] or 0
    item = ChecklistItem.objects.create(
        stage=stage,
        title=title,
        assignee=assignee,
        due_date=due_date,
        notes=notes,
        position=last + 1,
    )
    sync_stage_status(stage)
    return item


def update_item(item, **fields):
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=list(fields))
    return item


@transaction.atomic
def set_item_done(item, done, *, user):
    """Tick or untick an item, remembering who ticked it and when."""
    if item.done == done:
        return item
    item.done = done
    item.done_at = timezone.now() if done else None
    item.done_by = user if done else None
    item.save(update_fields=["done", "done_at", "done_by"])
    sync_stage_status(item.stage)
    return item


@transaction.atomic
def delete_item(item):
    item.delete()
    sync_stage_status(item.stage)


def add_assignment(production, *, crew_member, role):
    return Assignment.objects.create(production=production, crew_member=crew_member, role=role)


def remove_assignment(assignment):
    assignment.delete()
