"""Applying imports: checklist items into a production, a production from JSON.

Each is one transaction: everything in the file lands, with its activity
entries, or nothing does. The checking is in productions.imports; a plan is made again
here, inside the transaction and with the items locked, so what is applied is
what the database holds now.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Lower
from django.utils import timezone

from ..fields import CREW, DOCUMENT, IMPORTED, USER
from ..imports import make_plan
from ..models import (
    Activity,
    Assignment,
    ChecklistItem,
    Comment,
    CrewMember,
    Membership,
    Production,
    Stage,
)
from .activity import Kind, display, entry, log
from .counters import recount_production, recount_stages
from .locks import one_at_a_time
from .productions import live_production, save_with_unique_slug


class ImportRefused(Exception):
    """The file cannot be applied: `plan.problems` says why."""

    def __init__(self, plan):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


class ImportChanged(Exception):
    """The production changed since the preview: `plan` is the new one."""

    def __init__(self, plan):
        super().__init__("The checklist changed since the preview.")
        self.plan = plan


@transaction.atomic
def apply_checklist_import(production, table, *, by, filename, digest=None):
    """Create and update the checklist items of `table` (imports.read_table()).

    Refuses (ImportRefused) a file with any problem, and (ImportChanged) one
    whose plan differs from the previewed `digest`. Returns the applied plan."""
    # The items (then their stages, then the production through log()) are
    # locked in the order the everyday services use, so a tick racing an
    # import waits instead of deadlocking.
    production = live_production(production.pk)
    one_at_a_time(production.pk)  # before the rows, as moves and bulk changes (locks.py)
    plan = make_plan(production, table, lock=True)
    if plan.problems:
        raise ImportRefused(plan)
    if digest is not None and plan.digest != digest:
        raise ImportChanged(plan)
    if not plan.changes_anything:
        return plan

    now = timezone.now()
    touched = {}
    next_position = defaultdict(int)
    for stage_id, last in (
        ChecklistItem.all_objects.filter(stage__production=production)
        .values("stage_id")
        .annotate(last=Max("position"))
        .values_list("stage_id", "last")
    ):
        next_position[stage_id] = last or 0

    def position_in(stage):
        next_position[stage.pk] += 1
        return next_position[stage.pk]

    created = []
    for row in plan.creates:
        stage = row["stage"]
        touched[stage.pk] = stage
        created.append(
            ChecklistItem(
                stage=stage,
                **{f.name: row[f.name] for f in IMPORTED},
                done_at=now if row["done"] else None,
                done_by=by if row["done"] else None,
                position=position_in(stage),
                updated_by=by,
                updated_at=now,
            )
        )
    created = ChecklistItem.objects.bulk_create(created)
    entries = [
        entry(production, Kind.ITEM_ADDED, by=by, subject=item.title, stage=item.stage, item=item)
        for item in created
    ]

    items = ChecklistItem.objects.select_related("stage").in_bulk(
        [row["item"] for row in plan.updates]
    )
    fields = {"version", "updated_by", "updated_at"}
    for row in plan.updates:
        item = items[row["item"]]
        touched[item.stage_id] = item.stage
        for name, (_old, new) in row["changes"].items():
            if name == "stage":
                item.stage = new
                item.position = position_in(new)
                touched[new.pk] = new
                fields |= {"stage", "position"}
            elif name == "done":
                item.done = new
                item.done_at, item.done_by = (now, by) if new else (None, None)
                fields |= {"done", "done_at", "done_by"}
            else:
                setattr(item, name, new)
                fields.add(name)
        item.version += 1
        item.updated_by, item.updated_at = by, now
        edits = {
            name: [display(old), display(new)]
            for name, (old, new) in row["changes"].items()
            if name != "done"
        }
        if "done" in row["changes"]:
            kind = Kind.ITEM_TICKED if item.done else Kind.ITEM_UNTICKED
            entries.append(
                entry(production, kind, by=by, subject=item.title, stage=item.stage, item=item)
            )
        if edits:
            entries.append(
                entry(
                    production,
                    Kind.ITEM_EDITED,
                    by=by,
                    subject=item.title,
                    stage=item.stage,
                    item=item,
                    changes=edits,
                )
            )
    ChecklistItem.objects.bulk_update(items.values(), sorted(fields), batch_size=500)
    Activity.objects.bulk_create(entries, batch_size=500)
    # The stages before the production (log()), as locks.py says.
    items, done = recount_stages(touched)
    log(
        production,
        Kind.CHECKLIST_IMPORTED,
        by=by,
        subject=filename,
        changes={"created": len(plan.creates), "updated": len(plan.updates)},
        items=items,
        done=done,
    )
    return plan


@transaction.atomic
def import_production(document, *, by, filename):
    """A new production from a checked document (imports.read_production_document()).

    Crew are matched to the directory by email, else by a name only one person
    has; the others are added to it. The importing user is its manager."""
    p = document["production"]
    production = Production(created_by=by, updated_by=by, **p)
    save_with_unique_slug(production)
    Membership.objects.create(production=production, user=by, level=Membership.Level.MANAGER)

    crew = {}
    emails = {
        email: pk
        for pk, email in CrewMember.objects.exclude(email="").values_list("pk", Lower("email"))
    }
    names = defaultdict(list)
    for pk, name in CrewMember.objects.values_list("pk", "name"):
        names[name].append(pk)
    new_crew = 0
    for person in document["crew"]:
        pk = emails.get(person["email"].lower()) if person["email"] else None
        if pk is None and len(names.get(person["name"], [])) == 1:
            pk = names[person["name"]][0]
        if pk is None:
            member = CrewMember.objects.create(
                name=person["name"],
                email=person["email"],
                phone=person["phone"],
                default_role_id=person["default_role"],
            )
            pk, new_crew = member.pk, new_crew + 1
            if member.email:
                emails[member.email.lower()] = pk
        crew[person["ref"]] = pk
    seen = set()
    assignments = []
    for a in document["assignments"]:
        key = (crew[a["crew"]], a["role"])
        if key not in seen:
            seen.add(key)
            assignments.append(
                Assignment(production=production, crew_member_id=key[0], role_id=key[1])
            )
    Assignment.objects.bulk_create(assignments)

    user_fields = [f.name for f in DOCUMENT if f.kind == USER]
    usernames = {
        name
        for s in document["stages"]
        for i in s["items"]
        for name in [*(i[f] for f in user_fields), *(c["author"] for c in i["comments"])]
        if name
    }
    # Ticks and comments keep their authors only when the importer already
    # works with them (a member of one of the importer's productions): a file
    # cannot make anyone else appear to have written something.
    colleagues = Membership.objects.filter(
        production__memberships__user=by, production__deleted_at__isnull=True
    ).values("user")
    users = dict(
        get_user_model()
        .objects.filter(username__in=usernames)
        .filter(Q(pk__in=colleagues) | Q(pk=by.pk))
        .values_list("username", "pk")
    )
    stages = Stage.objects.bulk_create(
        Stage(
            production=production,
            position=n,
            **{k: v for k, v in s.items() if k != "items"},
        )
        for n, s in enumerate(document["stages"], start=1)
    )
    pending = []
    for stage, s in zip(stages, document["stages"], strict=True):
        for n, i in enumerate(s["items"], start=1):
            item = ChecklistItem(stage=stage, position=n)
            for f in DOCUMENT:
                if f.kind == CREW:
                    setattr(item, f"{f.name}_id", crew.get(i[f.name]))
                elif f.kind == USER:
                    setattr(item, f"{f.name}_id", users.get(i[f.name]))
                else:
                    setattr(item, f.name, i[f.name])
            pending.append((item, i["comments"]))
    ChecklistItem.objects.bulk_create([item for item, _ in pending], batch_size=1000)
    Comment.objects.bulk_create(
        [
            Comment(
                item=item,
                author_id=users.get(c["author"]),
                body=c["body"],
                **({"created_at": c["created_at"]} if c["created_at"] else {}),
            )
            for item, comments in pending
            for c in comments
        ],
        batch_size=1000,
    )
    recount_production(production.pk)
    log(
        production,
        Kind.PRODUCTION_CREATED,
        by=by,
        subject=production.title,
        changes={
            "imported_from": filename,
            "stages": len(stages),
            "items": len(pending),
            "new_crew": new_crew,
        },
    )
    return production
