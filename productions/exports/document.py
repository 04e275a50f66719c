"""A whole production as versioned JSON (docs/exports.md)."""

import datetime
from collections import defaultdict

from django.utils import timezone

from ..fields import CREW, DATE, DOCUMENT, MOMENT, USER
from ..models import Assignment, ChecklistItem, Comment, CrewMember

JSON_FORMAT = "bts-tracker/production"
JSON_VERSION = 1


def _date(value):
    return value.isoformat() if value else None


def _datetime(value):
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if value else None


def only(f):
    """The column .only() reads for the field."""
    return {CREW: f"{f.name}_id", USER: f"{f.name}__username"}.get(f.kind, f.name)


def _value(item, f):
    """The field as the document holds it (fields.DOCUMENT): a crew id, a
    username, ISO dates and UTC times; the rest as they are."""
    if f.kind == CREW:
        return getattr(item, f"{f.name}_id")
    if f.kind == USER:
        user = getattr(item, f.name)
        return user.username if user else None
    if f.kind == DATE:
        return _date(getattr(item, f.name))
    if f.kind == MOMENT:
        return _datetime(getattr(item, f.name))
    return getattr(item, f.name)


def production_document(production):
    """The whole production as a plain dict (docs/exports.md, format version 1):
    production, crew, assignments, stages with their items and comments.
    Trashed stages and items are left out. Five queries."""
    stages = list(production.stages.order_by("position", "pk"))
    items = list(
        ChecklistItem.objects.of_production(production)
        .select_related(*(f.name for f in DOCUMENT if f.kind == USER))
        .only("pk", "stage_id", "position", *(only(f) for f in DOCUMENT))
    )
    comments = defaultdict(list)
    for item_id, author, body, created_at in (
        Comment.objects.filter(item__in=[item.pk for item in items])
        .order_by("created_at", "pk")
        .values_list("item_id", "author__username", "body", "created_at")
    ):
        comments[item_id].append(
            {"author": author, "body": body, "created_at": _datetime(created_at)}
        )
    assignments = list(
        Assignment.objects.filter(production=production)
        .order_by("crew_member__name", "role__name", "pk")
        .values_list("crew_member_id", "role__name")
    )
    crew_ids = {crew_id for crew_id, _ in assignments} | {
        item.assignee_id for item in items if item.assignee_id
    }
    crew = (
        CrewMember.objects.filter(pk__in=crew_ids)
        .order_by("name", "pk")
        .values_list("pk", "name", "email", "phone", "default_role__name")
    )
    items_by_stage = defaultdict(list)
    for item in items:
        items_by_stage[item.stage_id].append(item)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "exported_at": _datetime(timezone.now()),
        "production": {
            "id": production.pk,
            "slug": production.slug,
            "title": production.title,
            "kind": production.kind,
            "artist": production.artist,
            "venue": production.venue,
            "start_date": _date(production.start_date),
            "end_date": _date(production.end_date),
            "status": production.status,
            "description": production.description,
        },
        "crew": [
            {"id": pk, "name": name, "email": email, "phone": phone, "default_role": role}
            for pk, name, email, phone, role in crew
        ],
        "assignments": [{"crew": crew_id, "role": role} for crew_id, role in assignments],
        "stages": [
            {
                "id": stage.pk,
                "name": stage.name,
                "phase": stage.phase,
                "status": stage.status,
                "status_manual": stage.status_manual,
                "start_date": _date(stage.start_date),
                "due_date": _date(stage.due_date),
                "notes": stage.notes,
                "items": [
                    {
                        "id": item.pk,
                        **{f.name: _value(item, f) for f in DOCUMENT},
                        "comments": comments[item.pk],
                    }
                    for item in items_by_stage[stage.pk]
                ],
            }
            for stage in stages
        ],
    }
