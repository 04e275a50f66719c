"""The pages' queries: the one home of what a page reads, as named functions.

Views ask here for their stages, windows of rows, crew and activity entries;
the rules of who may see what stay in access.py, and the querysets' building
blocks (for_checklist(), after(), first_windows()…) on the models' QuerySets.
Each page's number of queries is pinned by a test that counts them at two
sizes of production (tests/test_fragment_queries.py and the pages' own
tests): nothing here reads per row, and nothing counts a production's rows.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import SimpleLazyObject

from .access import items_for_user
from .models import Activity, Assignment, ChecklistItem, Stage

# Rows a stage shows at first, and loads at a time as the user scrolls.
ITEM_WINDOW = 10


def fetch_mode():
    """Strict fetching (tests, DEBUG) turns a relation a template reads
    without it being loaded into an error; in production a slip costs one
    query for all peers instead of one per row."""
    return models.FETCH_RAISE if settings.STRICT_FETCHING else models.FETCH_PEERS


def _of(production, stages):
    """`stages` of `production` (read by id), each knowing it: no query when
    a template asks a stage for its production."""
    for stage in stages:
        stage.production = production
    return stages


def last_activity_id(production):
    """The production's last activity entry (0: none): where a page's live
    updates start. An index scan of one row (activity_last_idx), however long
    the production's history."""
    return (
        Activity.objects.filter(production=production)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def checklist_stages(production):
    """The production page's stages in order (one query), each with its open
    required items (which stage holds the production up) and, the same on
    every row, `last_activity`: where live updates start, read with the
    stages so a change committed while the page renders is sent again."""
    last = Activity.objects.filter(production=production).order_by("-pk").values("pk")[:1]
    stages = (
        Stage.objects.filter(production=production)
        .for_checklist()
        .with_open_required()
        .annotate(last_activity=models.Subquery(last))
        .fetch_mode(fetch_mode())
    )
    return _of(production, list(stages))


def production_stages(production):
    """The production's live stages in order (the board's columns, the Move
    to… choices), each knowing its production."""
    return _of(production, list(Stage.objects.filter(production=production).for_checklist()))


def production_crew(production):
    """The crew panel's assignments, with their crew members and roles."""
    return list(
        Assignment.objects.filter(production=production)
        .select_related("crew_member", "role")
        .order_by("crew_member__name", "role__name")
        .fetch_mode(fetch_mode())
    )


def matching_counts(production, stages, filters):
    """{stage id: rows matching `filters`}: one grouped count ("Showing N
    matching items"), only when the page is filtered."""
    return dict(
        ChecklistItem.objects.filter(stage__in=[stage.pk for stage in stages])
        .filtered(production, filters)
        .order_by()
        .values_list("stage")
        .annotate(n=models.Count("pk"))
    )


def first_windows(stages, items=None):
    """Give each stage its first window of `items` (see window()), all in one
    query: a small indexed LIMIT per stage, joined (a window function over
    the production's rows would read every one of them). Without `items`,
    every live item."""
    rows = {stage.pk: [] for stage in stages}
    if not rows:
        return stages
    if items is None:
        items = ChecklistItem.objects.for_checklist()
    found = items.first_windows(list(rows), ITEM_WINDOW + 1).fetch_mode(fetch_mode())
    for row in found:
        rows[row.stage_id].append(row)
    for stage in stages:
        for row in rows[stage.pk]:
            row.stage = stage
        window(stage, rows[stage.pk])
    return stages


def first_windows_when_asked(stages):
    """first_windows(), run when a template first asks a stage for its
    `window` or `more_after`: a page whose stage cards all come from the
    cache ({% cache %}, keyed by the production's live version) reads no
    rows at all. Still one query for every stage when one card is drawn."""
    loaded = []

    def when_asked(stage, name):
        def load():
            if not loaded:
                loaded.append(True)
                first_windows(stages)
            return getattr(stage, name)

        return SimpleLazyObject(load)

    for stage in stages:
        stage.window = when_asked(stage, "window")
        stage.more_after = when_asked(stage, "more_after")
    return stages


def filtered_windows(production, stages, filters):
    """The page's windows: every row, or those matching `filters` with each
    stage's `matching` count (one query more)."""
    if not filters:
        return first_windows_when_asked(stages)
    first_windows(stages, ChecklistItem.objects.for_checklist().filtered(production, filters))
    matching = matching_counts(production, stages, filters)
    for stage in stages:
        stage.matching = matching.get(stage.pk, 0)
    return stages


def first_window(stage):
    """One stage's first window of rows, as the production page shows it."""
    rows = list(stage.items.for_checklist()[: ITEM_WINDOW + 1])
    for row in rows:
        row.stage = stage
    window(stage, rows)
    return stage


def parse_cursor(text):
    """A window's `after` cursor ("done.position.pk") as a tuple, or None
    for anything else."""
    try:
        done, position, pk = (int(part) for part in text.split("."))
    except ValueError:
        return None
    return bool(done), position, pk


def next_window(stage, cursor, production=None, filters=None):
    """The stage's rows after `cursor` (see parse_cursor()), a window's worth,
    set on the stage as window() does; `filters`: the page's filter."""
    rows = stage.items.for_checklist()
    if filters:
        rows = rows.filtered(production, filters)
    rows = list(rows.after(cursor)[: ITEM_WINDOW + 1])
    for row in rows:
        row.stage = stage
    window(stage, rows)
    return stage


def window(stage, rows):
    """Set `stage.window` (the rows to show) and `stage.more_after` (the
    cursor of the next window, or None when these are the last)."""
    stage.window = rows[:ITEM_WINDOW]
    last = stage.window[-1] if len(rows) > ITEM_WINDOW else None
    stage.more_after = f"{int(last.done)}.{last.position}.{last.pk}" if last else None


def moved_stages(stage_pks):
    """Stages a move left (fresh: their counters as the move left them), by id."""
    return Stage.objects.select_related("production", "status_set_by").in_bulk(stage_pks)


def activity_since(production, after, limit):
    """Up to `limit` (pk, kind, item id, stage id) of the production's
    activity entries after `after`, oldest first (the live-update poll)."""
    return list(
        Activity.objects.filter(production=production, pk__gt=after)
        .order_by("pk")
        .values_list("pk", "kind", "item_id", "stage_id")[:limit]
    )


def changed_items(user, production, item_ids):
    """The live rows `item_ids` of the production that `user` may see, as
    the page shows them."""
    if not item_ids:
        return []
    return list(
        items_for_user(user)
        .filter(pk__in=item_ids, stage__production=production)
        .select_related("stage", "assignee", "done_by")
    )


def place_before(item):
    """The id of the row `item` now comes before in its stage (None: the last)."""
    return (
        ChecklistItem.objects.filter(stage_id=item.stage_id)
        .after((item.done, item.position, item.pk))
        .order_by("done", "position", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def named_stages(production, stage_pks):
    """The production's stages `stage_pks`, with who set their status."""
    return list(
        Stage.objects.filter(pk__in=stage_pks, production=production).select_related(
            "status_set_by"
        )
    )
