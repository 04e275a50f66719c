"""A tick in one statement, on PostgreSQL.

A tick is the write the app sees most, and its cost is round trips and ORM
compilation rather than work: reading the item with the user's level,
writing it, moving its stage's and production's counters (and the stage's
status, as the checklist says) and writing the activity entry took seven
statements. PostgreSQL runs them as one statement
of data-modifying CTEs, checking access in the same statement with
access.level_sql(). It first locks the item, its stage and its production,
in the usual lock order, and only when the user may edit it (the lock an
UPDATE takes anyway): a stage or production trashed meanwhile then stops it
before it writes anything. One statement is all or nothing, so it needs no
transaction of its own (and no BEGIN and COMMIT round trips).

Only the common case goes this way: a live item the user may edit, not
already as asked. Anything else (no such item, no access, a replay, a stage
or production deleted meanwhile, SQLite) finds nothing here, nothing is
written, and the caller takes the usual way: the lookup, require() and
set_item_done(), which say which of those it was.
"""

import functools
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from ..access import Access, Level, level_sql
from ..models import Activity, ChecklistItem, CrewMember, Production, Stage
from .activity import Kind
from .returning import from_rows


@dataclass
class Ticked:
    item: ChecklistItem  # with .stage and .stage.production as the tick left them
    access: Access
    status_moved: bool  # the checklist moved the stage's status


def _columns(model, alias):
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    return fields, ", ".join(f"{alias}.{quote(field.column)}" for field in fields)


# services.checklist._auto_status() in SQL, for the stage row `s` whose
# done_count moves by the step (the tick's second parameter of that name):
# SET expressions read the row as it was.
_AUTO_STATUS = f"""CASE
    WHEN s.status_manual OR s.status = '{Stage.Status.BLOCKED}' THEN s.status
    WHEN s.item_count > 0 AND s.done_count + %s = s.item_count THEN '{Stage.Status.DONE}'
    WHEN s.done_count + %s > 0 THEN '{Stage.Status.IN_PROGRESS}'
    WHEN s.status = '{Stage.Status.DONE}' THEN '{Stage.Status.NOT_STARTED}'
    ELSE s.status END"""


@functools.cache
def _statement():
    """The statement's text (with a {level} slot for access.level_sql()) and
    the fields its row carries: the item's, the stage's, the production's
    and the assignee's (NULLs when none)."""
    item_fields, item_cols = _columns(ChecklistItem, "item")
    stage_fields, stage_cols = _columns(Stage, "stage")
    production_fields, production_cols = _columns(Production, "production")
    crew_fields, crew_cols = _columns(CrewMember, "crew")
    _, returned_item_cols = _columns(ChecklistItem, "i")
    text = f"""
        WITH target AS (
            SELECT i.id, {{level}} AS level, s.status AS status_before
            FROM {ChecklistItem._meta.db_table} i
            JOIN {Stage._meta.db_table} s ON s.id = i.stage_id AND s.deleted_at IS NULL
            JOIN {Production._meta.db_table} p
                ON p.id = s.production_id AND p.deleted_at IS NULL
            WHERE i.id = %s AND i.deleted_at IS NULL AND {{level}} >= %s
            FOR NO KEY UPDATE OF i, s, p
        ), item AS (
            UPDATE {ChecklistItem._meta.db_table} i
            SET done = %s, done_at = %s, done_by_id = %s
            FROM target
            WHERE i.id = target.id AND i.done = %s
            RETURNING {returned_item_cols}, target.level, target.status_before
        ), stage AS (
            UPDATE {Stage._meta.db_table} s
            SET done_count = s.done_count + %s, status = {_AUTO_STATUS}
            FROM item WHERE s.id = item.stage_id
            RETURNING s.*
        ), production AS (
            UPDATE {Production._meta.db_table} p
            SET live_version = p.live_version + 1, done_count = p.done_count + %s
            FROM stage WHERE p.id = stage.production_id
            RETURNING p.*
        ), entry AS (
            INSERT INTO {Activity._meta.db_table}
                (production_id, actor_id, actor_name, kind, subject, stage_id, item_id,
                 changes, bulk_id, created_at)
            SELECT production.id, CAST(%s AS BIGINT), CAST(%s AS VARCHAR),
                CAST(%s AS VARCHAR), LEFT(item.title, 300), item.stage_id, item.id,
                '{{}}'::jsonb, NULL, CAST(%s AS TIMESTAMP WITH TIME ZONE)
            FROM item JOIN production ON TRUE
            RETURNING id
        )
        SELECT {item_cols}, item.level, item.status_before, {stage_cols}, {production_cols},
            {crew_cols}
        FROM item
        JOIN stage ON stage.id = item.stage_id
        JOIN production ON production.id = stage.production_id
        CROSS JOIN entry
        LEFT JOIN {CrewMember._meta.db_table} crew ON crew.id = item.assignee_id
    """
    return text, (item_fields, stage_fields, production_fields, crew_fields)


def tick(pk, done, *, by):
    """Tick (or untick) item `pk` as `by`, in one statement, if `by` may edit
    it and it is live and not already as asked: a Ticked, else None (and
    nothing written). The entry is the one set_item_done() writes."""
    if connection.vendor != "postgresql" or not by.is_active or not by.is_authenticated:
        return None
    if not 0 < pk < 2**63:
        # Past bigint the statement would fail; no item has such an id.
        return None
    text, (item_fields, stage_fields, production_fields, crew_fields) = _statement()
    level, level_params = level_sql(by, "s.production_id")
    now = timezone.now()
    step = 1 if done else -1
    params = [
        *level_params,
        pk,
        *level_params,
        int(Level.EDITOR),
        done,
        now if done else None,
        by.pk if done else None,
        not done,
        step,  # the stage's done_count
        step,  # its status (twice)
        step,
        step,  # the production's done_count
        by.pk,
        by.get_username(),
        Kind.ITEM_TICKED if done else Kind.ITEM_UNTICKED,
        now,
    ]
    # One statement, whole or not at all: no transaction of its own (outside
    # one, it commits by itself), and no BEGIN and COMMIT round trips.
    text = text.replace("{level}", level)

    with connection.cursor() as cursor:
        cursor.execute(text, params)
        row = cursor.fetchone()
    if row is None:
        return None  # nothing written: the usual way decides what to say
    item_row, level, status_before, stage_row, production_row, crew_row = _split(
        row, len(item_fields), 1, 1, len(stage_fields), len(production_fields)
    )
    item = from_rows(ChecklistItem, item_fields, [item_row], "default")[0]
    stage = from_rows(Stage, stage_fields, [stage_row], "default")[0]
    production = from_rows(Production, production_fields, [production_row], "default")[0]
    item.assignee = None
    if crew_row[0] is not None:
        item.assignee = from_rows(CrewMember, crew_fields, [crew_row], "default")[0]
    item.done_by = by if done else None
    # The statement moved the status as the checklist says (_AUTO_STATUS).
    moved = stage.status != status_before[0]
    stage.production = production
    item.stage = stage
    return Ticked(item, Access(level[0]), moved)


def _split(row, *sizes):
    """`row` cut into parts of `sizes`, and the rest."""
    parts, start = [], 0
    for size in sizes:
        parts.append(row[start : start + size])
        start += size
    return [*parts, row[start:]]
