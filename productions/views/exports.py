"""Downloads of a production's checklist."""

import csv
from collections import defaultdict

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..access import get_production_for_user
from ..models import ChecklistItem

CSV_HEADER = ["Production", "Stage", "Phase", "Item", "Assignee", "Role", "Due", "Done", "Done at"]


def csv_safe(value):
    # A cell starting with one of these is run as a formula by spreadsheet apps.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else value


@require_safe
def production_export_csv(request, slug):
    production, _ = get_production_for_user(request.user, slug)
    items = (
        ChecklistItem.objects.filter(stage__production=production, stage__deleted_at__isnull=True)
        .select_related("stage", "assignee__default_role")
        .order_by("stage__position", "stage__pk", "position", "pk")
    )
    # The role a crew member holds on this production, else their usual one.
    roles = defaultdict(list)
    for assignment in production.assignments.select_related("role").order_by("role__name"):
        roles[assignment.crew_member_id].append(assignment.role.name)

    filename = f"{production.slug}-checklist-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # The byte-order mark makes Excel read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for item in items:
        assignee = item.assignee
        if assignee is None:
            role = ""
        else:
            role = "; ".join(roles[assignee.pk]) or (
                assignee.default_role.name if assignee.default_role else ""
            )
        done_at = (
            timezone.localtime(item.done_at).strftime("%Y-%m-%d %H:%M") if item.done_at else ""
        )
        writer.writerow(
            [
                csv_safe(production.title),
                csv_safe(item.stage.name),
                item.stage.get_phase_display(),
                csv_safe(item.title),
                csv_safe(assignee.name) if assignee else "",
                csv_safe(role),
                item.due_date.isoformat() if item.due_date else "",
                "yes" if item.done else "no",
                done_at,
            ]
        )
    return response
