"""Writes made in the Django admin, logged like the app's own.

The admin saves and deletes model instances itself; its ModelAdmins call these
instead, so every admin change bumps the version an open edit form carries and
leaves an activity entry, in the admin's own transaction."""

from django.contrib.auth.models import User
from django.db import models, transaction

from ..models import Activity, Assignment, ChecklistItem, Membership, Production, Stage
from .activity import log
from .counters import recount_production
from .locks import lock_for_delete, lock_stages


def production_of(obj: models.Model) -> Production | None:
    if isinstance(obj, Production):
        return obj
    if isinstance(obj, Stage | Assignment | Membership):
        return obj.production
    if isinstance(obj, ChecklistItem):
        return obj.stage.production
    return None


COUNTERS = {"item_count", "done_count", "live_version"}


def _production_id_in_db(obj):
    if isinstance(obj, Stage):
        return Stage.all_objects.filter(pk=obj.pk).values_list("production", flat=True).first()
    if isinstance(obj, ChecklistItem):
        rows = ChecklistItem.all_objects.filter(pk=obj.pk)
        return rows.values_list("stage__production", flat=True).first()
    return None


def _subject(obj):
    return f"{obj._meta.verbose_name} “{obj}”"


@transaction.atomic
def save_from_admin(
    obj: models.Model, *, by: User, changed_fields: list[str], created: bool
) -> models.Model:
    if not created and hasattr(obj, "version"):
        obj.version += 1
    if hasattr(obj, "updated_by"):
        obj.updated_by = by
    before = None if created else _production_id_in_db(obj)
    if isinstance(obj, Stage) and not created:
        # The recount below moves every stage of the production: lock them
        # all in pk order before this one is saved (locks.py).
        lock_stages(
            Stage.all_objects.filter(production=obj.production_id).values_list("pk", flat=True)
        )
    if isinstance(obj, Production) and not created:
        # The counters and live version are the services' to move: an admin
        # form loaded a while ago must not write back stale values.
        obj.save(
            update_fields=[
                f.name
                for f in Production._meta.concrete_fields
                if not f.primary_key and f.name not in COUNTERS
            ]
        )
    else:
        obj.save()
    production = production_of(obj)
    if isinstance(obj, Stage | ChecklistItem) and production is not None:
        # The admin can change anything (done, the stage, even the production
        # it is on): recount this production, and the one it left.
        recount_production(production.pk)
        if before and before != production.pk:
            recount_production(before)
    if production is not None:
        log(
            production,
            Activity.Kind.ADMIN,
            by=by,
            subject=_subject(obj),
            changes={"admin": "added" if created else "changed", "fields": list(changed_fields)},
        )
    return obj


@transaction.atomic
def delete_from_admin(obj: models.Model, *, by: User) -> None:
    """Delete `obj` for good, then recount and log: the rows first, the
    production last (locks.py; logging first held the production while the
    DELETE waited for an item a tick held, and the tick waited for the
    production)."""
    production = production_of(obj)
    subject = _subject(obj)
    lock_for_delete(obj)
    obj.delete()
    if isinstance(obj, Stage | ChecklistItem) and production is not None:
        recount_production(production.pk)
    if production is not None and not isinstance(obj, Production):
        log(
            production,
            Activity.Kind.ADMIN,
            by=by,
            subject=subject,
            changes={"admin": "deleted"},
        )
