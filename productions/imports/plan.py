"""Matching a Table against a production: what an import would change."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from ..fields import BY_COLUMN, CREW, IMPORTED, default
from ..models import Assignment, ChecklistItem, CrewMember, Stage
from .files import Problem, did_you_mean


@dataclass
class Plan:
    creates: list = field(default_factory=list)  # [{"row", "stage", "title", ...}]
    updates: list = field(default_factory=list)  # [{"row", "item", "title", "changes"}]
    unchanged: int = 0
    problems: list = field(default_factory=list)

    @property
    def digest(self):
        """A fingerprint of what applying would do, to tell whether the
        production changed between the preview and the confirmation."""

        def plain(value):
            if isinstance(value, (Stage, CrewMember)):
                return value.pk
            if isinstance(value, datetime.date):
                return value.isoformat()
            return value

        payload = [
            [{k: plain(v) for k, v in c.items()} for c in self.creates],
            [
                [u["item"], {k: [plain(a), plain(b)] for k, (a, b) in u["changes"].items()}]
                for u in self.updates
            ],
            self.unchanged,
        ]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    @property
    def changes_anything(self):
        return bool(self.creates or self.updates)


# (model field, column key) compared when a row updates an item: the
# imported fields stored as they are read (fields.ITEM_FIELDS; the assignee
# is looked up by name).
FIELDS = [(f.name, f.column) for f in IMPORTED if f.kind != CREW]


def _by_name(objects):
    names = {}
    for obj in objects:
        names.setdefault(obj.name.strip().lower(), []).append(obj)
    return names


def make_plan(production, table, *, lock=False):
    """What importing `table` into `production` would do, and every problem.

    `lock`: lock the production's items (inside the applying transaction)."""
    plan = Plan(problems=list(table.problems))
    stages = list(production.stages.order_by("position", "pk"))
    stage_names = _by_name(stages)
    stage_by_pk = {stage.pk: stage for stage in stages}
    items = ChecklistItem.objects.of_production(production).select_related("assignee")
    if lock:
        items = items.select_for_update(no_key=True, of=("self",))
    items = {item.pk: item for item in items}
    by_title = {}
    for item in items.values():
        by_title.setdefault((item.stage_id, item.title.strip().lower()), []).append(item)
    crew_here = set(
        Assignment.objects.filter(production=production).values_list("crew_member_id", flat=True)
    )
    directory = _by_name(CrewMember.objects.all())
    ids_seen, targets = {}, {}

    def find_assignee(number, name):
        if not name:
            return None
        found = directory.get(name.lower(), [])
        here = [c for c in found if c.pk in crew_here]
        candidates = here or found
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            names = sorted({c.name for group in directory.values() for c in group})
            raise ValueError(
                f"nobody called '{name}' is in the crew directory{did_you_mean(name, names)}"
            )
        raise ValueError(f"{len(candidates)} crew members are called '{name}'.")

    for number, values in table.rows:
        problems = []
        stage = item = assignee = None
        if values.get("stage"):
            found = stage_names.get(values["stage"].lower(), [])
            if len(found) == 1:
                stage = found[0]
            elif not found:
                hint = did_you_mean(values["stage"], [s.name for s in stages])
                problems.append(
                    Problem(number, "Stage", f"stage '{values['stage']}' does not exist{hint}")
                )
            else:
                problems.append(
                    Problem(number, "Stage", f"{len(found)} stages are called '{values['stage']}'.")
                )
        if "assignee" in values:
            try:
                assignee = find_assignee(number, values["assignee"])
            except ValueError as exc:
                problems.append(Problem(number, "Assignee", str(exc)))
        item_id = values.get("id")
        if item_id is not None:
            if item_id in ids_seen:
                problems.append(
                    Problem(number, "ID", f"ID {item_id} is also on row {ids_seen[item_id]}.")
                )
            ids_seen.setdefault(item_id, number)
            item = items.get(item_id)
            if item is None:
                problems.append(
                    Problem(
                        number,
                        "ID",
                        f"ID {item_id} is not an item of this production "
                        "(it may be another production's, or in the trash). "
                        "Clear the ID to add the row as a new item.",
                    )
                )
        elif stage is not None and values.get("title"):
            same = by_title.get((stage.pk, values["title"].lower()), [])
            if len(same) > 1:
                problems.append(
                    Problem(
                        number,
                        "Item",
                        f"{len(same)} items in '{stage.name}' are called '{values['title']}': "
                        "add the ID column to say which one.",
                    )
                )
            elif same:
                item = same[0]
        if item is not None:
            if item.pk in targets and targets[item.pk] != number:
                problems.append(
                    Problem(number, None, f"changes the same item as row {targets[item.pk]}.")
                )
            targets.setdefault(item.pk, number)
        elif item_id is None and stage is not None and values.get("title"):
            key = ("new", stage.pk, values["title"].lower())
            if key in targets:
                problems.append(
                    Problem(
                        number,
                        None,
                        f"adds the same item as row {targets[key]} (same stage, title).",
                    )
                )
            targets.setdefault(key, number)
        if problems:
            plan.problems.extend(problems)
            continue
        if item is None and item_id is None:
            plan.creates.append(
                {
                    "row": number,
                    "stage": stage,
                    **{name: values.get(key, default(BY_COLUMN[key])) for name, key in FIELDS},
                    "assignee": assignee,
                }
            )
            continue
        if item is None:
            continue
        changes = {}
        if "stage" in values and stage.pk != item.stage_id:
            changes["stage"] = (stage_by_pk.get(item.stage_id), stage)
        for name, key in FIELDS:
            if key in values and getattr(item, name) != values[key]:
                changes[name] = (getattr(item, name), values[key])
        if "assignee" in values and assignee != item.assignee:
            changes["assignee"] = (item.assignee, assignee)
        if changes:
            plan.updates.append(
                {"row": number, "item": item.pk, "title": item.title, "changes": changes}
            )
        else:
            plan.unchanged += 1
    plan.problems.sort(key=lambda p: p.row or 0)
    return plan
