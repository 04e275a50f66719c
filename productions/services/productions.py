"""Creating, editing, trashing and restoring whole productions."""

import secrets
from collections import Counter

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from ..exceptions import Gone
from ..models import (
    ChecklistItem,
    ChecklistItemTemplate,
    Membership,
    Production,
    Profile,
    Stage,
    StageTemplate,
)
from .activity import Kind, log, save_edit
from .locks import lock_production

# Slugs that would shadow another URL under /productions/.
RESERVED_SLUGS = {"new", "deleted", "trash", "edit", "admin"}


def unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "production"
    taken = RESERVED_SLUGS | set(
        Production.all_objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_with_unique_slug(production: Production) -> None:
    """Save a new production under a free slug made from its title.

    Two people creating "Neon Nights" at the same moment both see the slug
    free; the second insert fails and retries with a random suffix."""
    production.slug = unique_slug(production.title)
    for _ in range(5):
        try:
            with transaction.atomic():
                production.save()
            return
        except IntegrityError:
            if Production.all_objects.filter(slug=production.slug).exists():
                production.slug = f"{unique_slug(production.title)[:200]}-{secrets.token_hex(3)}"
                continue
            raise
    raise IntegrityError("Could not find a free slug.")


def default_time_zone(user: User | None) -> str:
    """A new production's zone: its creator's own (their profile), else
    empty (the site's)."""
    if user is None:
        return ""
    return Profile.objects.filter(user=user).values_list("time_zone", flat=True).first() or ""


def start_production(*, by: User | None, time_zone: str | None = None, **fields) -> Production:
    """Save a new production (a free slug) and make its creator its manager.

    The first step of every way to create one (create_production, cloning,
    templates), inside the caller's transaction; the stages are the caller's.
    `time_zone`: its schedule's zone ("" the site's); None, its creator's."""
    if time_zone is None:
        time_zone = default_time_zone(by)
    production = Production(created_by=by, updated_by=by, time_zone=time_zone, **fields)
    save_with_unique_slug(production)
    if by is not None:  # None: loaded by a command, for staff to hand out
        Membership.objects.create(production=production, user=by, level=Membership.Level.MANAGER)
    return production


@transaction.atomic
def create_production(*, by: User, **fields) -> Production:
    """Create a production with its kind's template stages and checklists.

    The user who creates it is its manager."""
    # A zone left empty on the form is its creator's.
    production = start_production(by=by, **{**fields, "time_zone": fields.get("time_zone") or None})

    templates = list(StageTemplate.objects.filter(kind=production.kind))
    template_items = list(ChecklistItemTemplate.objects.filter(stage_template__in=templates))
    per_template = Counter(item.stage_template_id for item in template_items)
    stages = Stage.objects.bulk_create(
        Stage(
            production=production,
            name=template.name,
            phase=template.phase,
            position=position,
            item_count=per_template[template.pk],
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
        for item in template_items
    )
    log(
        production,
        Kind.PRODUCTION_CREATED,
        by=by,
        subject=production.title,
        items=len(template_items),
    )
    production.item_count = len(template_items)
    return production


def live_production(pk: int) -> Production:
    """The production, unlocked, or Gone if it was deleted meanwhile (for
    services that lock rows below it and reach the production last)."""
    row = Production.objects.filter(pk=pk).first()
    if row is None:
        raise Gone("That production was just deleted.")
    return row


@transaction.atomic
def update_production(
    production: Production, *, by: User, version: int | None = None, **fields
) -> Production:
    """Save edited details; refuse (Conflict) if someone saved since `version`."""
    current = lock_production(production.pk)
    changes = save_edit(current, fields, version=version, by=by)
    if changes:
        log(current, Kind.PRODUCTION_EDITED, by=by, subject=current.title, changes=changes)
    return current


@transaction.atomic
def delete_production(production: Production, *, by: User) -> Production:
    """Move a production to the trash (its managers can restore it for 30 days)."""
    current = lock_production(production.pk)
    current.deleted_at, current.deleted_by = timezone.now(), by
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(current, Kind.PRODUCTION_DELETED, by=by, subject=current.title)
    return current


@transaction.atomic
def restore_production(production: Production, *, by: User) -> Production:
    current = lock_production(production.pk, deleted=True)
    current.deleted_at, current.deleted_by = None, None
    current.save(update_fields=["deleted_at", "deleted_by"])
    log(current, Kind.PRODUCTION_RESTORED, by=by, subject=current.title)
    return current
