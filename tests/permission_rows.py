"""The permission matrix's table: what every kind of visitor gets from every
URL of the project, for GET and for POST.

One Row per URL name in ROWS (and a sample of the admin in ADMIN_ROWS), read
by tests/test_permission_matrix.py, which fails for a URL without a row. The
helpers say it in access.py's terms: `read`, `edit` and `manage` for a
production's URLs (outsiders 404, staff as managers), `everyone` and `public`
for the rest, NOT_ALLOWED for a method the view does not take.
"""

from dataclasses import dataclass, field

ROLES = ["anonymous", "outsider", "viewer", "editor", "manager", "staff"]
METHODS = ["GET", "POST"]

LOGIN = "login"  # 302 to the app's login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
ANY_LOGIN = "any-login"  # 302 to either login page


def everyone(status, anonymous=LOGIN):
    return dict.fromkeys(ROLES, status) | {"anonymous": anonymous}


def public(status):
    return everyone(status, anonymous=status)


def members(viewer, editor, manager):
    """A production's URL: outsiders 404, staff as managers."""
    return {
        "anonymous": LOGIN,
        "outsider": 404,
        "viewer": viewer,
        "editor": editor,
        "manager": manager,
        "staff": manager,
    }


def read(status=200):
    return members(status, status, status)


def edit(status):
    return members(403, status, status)


def manage(status):
    return members(403, 403, status)


NOT_ALLOWED = everyone(405)


@dataclass
class Row:
    kwargs: object  # world -> URL kwargs
    get: dict
    post: dict
    data: object = field(default=lambda w: {})  # world -> POST data
    logs: bool = False  # a successful POST writes an activity entry
    query: str = ""
    to_login: bool = False  # a 302 to the login page is the expected success


def slug(w):
    return {"slug": w.production.slug}


def stage(w):
    return {"stage_pk": w.stage.pk}


def item(w):
    return {"pk": w.item.pk}


def day(w):
    return {"pk": w.day.pk}


def none(w):
    return {}


def manager_calendar_link(w):
    """The production manager's own calendar link (made on first use)."""
    from productions.models import CalendarToken, Membership

    manager = Membership.objects.filter(production=w.production, level=30).first().user
    token, _ = CalendarToken.objects.get_or_create(
        owner=manager, production=w.production, crew_member=None, defaults={"secret": "s3cret"}
    )
    return token


ROWS = {
    # Public pages
    "favicon.ico": Row(none, public(301), public(301)),
    "login": Row(none, public(200), public(200)),
    "health": Row(none, public(200), public(405)),
    # Logging out sends everyone to the login page, which is no refusal here.
    "logout": Row(none, everyone(405), everyone(302, anonymous=302), to_login=True),
    "password_reset": Row(none, public(200), public(200)),
    "password_reset_done": Row(none, public(200), public(405)),
    "password_reset_confirm": Row(lambda w: w.invitation_parts, public(302), public(302)),
    "password_reset_complete": Row(none, public(200), public(405)),
    "invitation_accept": Row(lambda w: w.invitation_parts, public(302), public(302)),
    # The user's own pages
    "my_work": Row(none, everyone(200), NOT_ALLOWED),
    "everything_due": Row(none, everyone(200), NOT_ALLOWED),
    "my_settings": Row(
        none, everyone(200), everyone(302), data=lambda w: {"time_zone": "Europe/Paris"}
    ),
    "guess_time_zone": Row(
        none, NOT_ALLOWED, everyone(204), data=lambda w: {"time_zone": "Europe/Paris"}
    ),
    # Productions
    "production_list": Row(none, everyone(200), NOT_ALLOWED),
    "production_create": Row(
        none,
        everyone(200),
        everyone(302),
        data=lambda w: {"title": "Matrix Show", "kind": "concert", "status": "planning"},
        logs=True,
    ),
    "deleted_productions": Row(none, everyone(200), NOT_ALLOWED),
    "production_restore": Row(
        lambda w: {"pk": w.deleted_production.pk}, NOT_ALLOWED, manage(302), logs=True
    ),
    "production_deleted": Row(lambda w: {"pk": w.deleted_production.pk}, manage(200), NOT_ALLOWED),
    "production_detail": Row(slug, read(), NOT_ALLOWED),
    "production_edit": Row(
        slug,
        manage(200),
        manage(302),
        data=lambda w: {
            "title": "Neon Nights Redux",
            "kind": w.production.kind,
            "status": "planning",
            "version": w.production.version,
        },
        logs=True,
    ),
    "production_delete": Row(slug, manage(200), manage(302), logs=True),
    "production_activity": Row(slug, read(), NOT_ALLOWED, query="?kind=item_added&feed_page=2"),
    "production_changes": Row(slug, read(), NOT_ALLOWED, query="?after=0"),
    "stage_items_more": Row(stage, read(), NOT_ALLOWED, query="?after=0.0.0"),
    "production_export_csv": Row(slug, read(), NOT_ALLOWED),
    # Exports, imports and calendar links (issue 8): every member may export;
    # importing items needs editor access; a calendar link is its owner's alone.
    "production_export_xlsx": Row(slug, read(), NOT_ALLOWED),
    "production_export_pdf": Row(slug, read(), NOT_ALLOWED),
    "production_export_ics": Row(slug, read(), NOT_ALLOWED),
    "production_export_json": Row(slug, read(), NOT_ALLOWED),
    "production_print": Row(slug, read(), NOT_ALLOWED),
    "checklist_import": Row(slug, edit(200), edit(422)),  # no file: said next to the field
    "checklist_import_confirm": Row(slug, NOT_ALLOWED, edit(409)),  # no preview to confirm
    "production_calendar": Row(slug, read(), NOT_ALLOWED),
    "calendar_link_create": Row(slug, NOT_ALLOWED, read(302)),
    "calendar_link_regenerate": Row(
        lambda w: {"pk": manager_calendar_link(w).pk},
        NOT_ALLOWED,
        {**members(404, 404, 302), "staff": 404},
    ),
    "calendar_feed": Row(
        lambda w: {"secret": manager_calendar_link(w).secret}, public(200), public(405)
    ),
    "production_import": Row(none, everyone(200), everyone(422)),  # no file
    "production_trash": Row(slug, edit(200), NOT_ALLOWED),
    "trash_empty": Row(slug, manage(200), manage(302), logs=True),
    # Crew
    "assignment_add": Row(
        slug,
        edit(200),  # GET: the page with the crew forms open
        manage(302),
        data=lambda w: {"crew_member": w.crew_member.pk, "role": w.other_role.pk},
        logs=True,
    ),
    "assignment_remove": Row(
        lambda w: {"pk": w.assignment.pk}, NOT_ALLOWED, manage(302), logs=True
    ),
    "crew_member_add": Row(
        slug,
        NOT_ALLOWED,
        edit(302),
        data=lambda w: {"name": "Fran Freelance", "role": w.role.pk, "email": "", "phone": ""},
        logs=True,
    ),
    # Members
    "production_members": Row(slug, read(), NOT_ALLOWED),
    "member_add": Row(
        slug, NOT_ALLOWED, manage(302), data=lambda w: {"who": "newbie", "level": "20"}, logs=True
    ),
    "member_level": Row(
        lambda w: {"pk": w.target.pk},
        NOT_ALLOWED,
        manage(302),
        data=lambda w: {"level": "20"},
        logs=True,
    ),
    "member_remove": Row(lambda w: {"pk": w.target.pk}, manage(200), manage(302), logs=True),
    "member_resend_invitation": Row(lambda w: {"pk": w.invited.pk}, NOT_ALLOWED, manage(302)),
    # Stages
    # GET: the Cancel of "Mark done anyway" (without JavaScript, back to the stage).
    "stage_status": Row(
        stage, edit(302), edit(302), data=lambda w: {"status": "in_progress"}, logs=True
    ),
    "stage_delete": Row(stage, manage(200), manage(302), logs=True),
    # Shaping the stages and archiving (issue 6, capability 3): managers only.
    "stage_add": Row(
        slug,
        manage(200),
        manage(302),
        data=lambda w: {"name": "Matrix stage", "phase": "production"},
        logs=True,
    ),
    "stage_edit": Row(
        stage,
        manage(200),
        manage(302),
        data=lambda w: {"name": "Costumes", "phase": "production", "version": w.stage.version},
        logs=True,
    ),
    # The world's only live stage cannot move: a successful no-op, unlogged.
    "stage_move": Row(stage, NOT_ALLOWED, manage(302), data=lambda w: {"direction": "down"}),
    "production_archive": Row(
        slug, NOT_ALLOWED, manage(302), data=lambda w: {"archived": "1"}, logs=True
    ),
    "stage_deleted": Row(lambda w: {"stage_pk": w.deleted_stage.pk}, manage(200), NOT_ALLOWED),
    "stage_restore": Row(
        lambda w: {"stage_pk": w.deleted_stage.pk}, NOT_ALLOWED, manage(302), logs=True
    ),
    "item_add": Row(
        stage, NOT_ALLOWED, edit(302), data=lambda w: {"title": "Matrix item"}, logs=True
    ),
    # Items (item_detail without htmx sends the browser to the item's stage)
    "item_detail": Row(item, read(302), NOT_ALLOWED),
    "item_toggle": Row(item, NOT_ALLOWED, edit(302), data=lambda w: {"done": "1"}, logs=True),
    "item_edit": Row(
        item,
        edit(200),
        edit(302),
        data=lambda w: {"title": "Fit every jacket", "version": w.item.version, "notes": ""},
        logs=True,
    ),
    "item_delete": Row(item, edit(200), edit(302), logs=True),
    "item_deleted": Row(lambda w: {"pk": w.deleted_item.pk}, read(), NOT_ALLOWED),
    "item_restore": Row(lambda w: {"pk": w.deleted_item.pk}, NOT_ALLOWED, edit(302), logs=True),
    "item_comments": Row(item, read(), edit(302), data=lambda w: {"body": "Looks good"}, logs=True),
    # Ordering and the board (issue 7; issue 6, capability 4): every member
    # sees the board; editors move items; managers reorder stages.
    "production_board": Row(slug, read(), NOT_ALLOWED),
    "board_more": Row(stage, read(), NOT_ALLOWED, query="?after=0.0.0"),
    "item_move": Row(item, edit(200), edit(302), data=lambda w: {"stage": w.stage.pk}, logs=True),
    # Bulk changes (issue 6, capability 6): editors change, and undo.
    "production_bulk": Row(
        slug,
        NOT_ALLOWED,
        edit(302),
        data=lambda w: {"action": "done", "items": [w.item.pk]},
        logs=True,
    ),
    "bulk_undo": Row(lambda w: {"pk": w.bulk.pk}, NOT_ALLOWED, edit(302)),
    # Clone and templates (issue 6, capability 7): editors clone (the copy
    # takes the crew and items along), managers save a template; anyone
    # logged in lists templates; only who saved one (or staff) deletes it.
    "production_clone": Row(
        slug,
        edit(200),
        edit(302),
        data=lambda w: {"title": "Matrix copy", "offset_days": "7"},
        logs=True,
    ),
    "production_save_template": Row(
        slug,
        manage(200),
        manage(302),
        data=lambda w: {"name": "Matrix saved", "description": ""},
        logs=True,
    ),
    "template_list": Row(none, everyone(200), NOT_ALLOWED),
    # Deleting a template leaves no production's log (it belongs to none).
    "template_delete": Row(
        lambda w: {"pk": w.template.pk},
        everyone(403) | {"manager": 200, "staff": 200},
        everyone(403) | {"manager": 302, "staff": 302},
    ),
    # The schedule and call sheets (issue 16): viewers read, editors plan.
    "schedule": Row(slug, read(), NOT_ALLOWED, query="?person=c1"),
    "day_add": Row(
        slug,
        edit(200),
        edit(302),
        data=lambda w: {"date": "2030-05-01", "kind": "shoot", "call_time": "07:00"},
        logs=True,
    ),
    "location_add": Row(
        slug, edit(200), edit(302), data=lambda w: {"name": "Matrix place"}, logs=True
    ),
    "call_sheet": Row(day, read(), NOT_ALLOWED),
    "call_sheet_pdf": Row(day, read(), NOT_ALLOWED),
    "day_edit": Row(
        day,
        edit(200),
        edit(302),
        data=lambda w: {"date": "2030-05-03", "kind": "rehearsal", "version": w.day.version},
        logs=True,
    ),
    "day_move": Row(
        day,
        edit(200),
        edit(302),
        data=lambda w: {"date": "2030-05-04", "version": w.day.version},
        logs=True,
    ),
    "day_duplicate": Row(
        day, edit(200), edit(302), data=lambda w: {"date": "2030-05-05"}, logs=True
    ),
    "day_delete": Row(day, edit(200), edit(302), logs=True),
    "day_deleted": Row(lambda w: {"pk": w.deleted_day.pk}, read(), NOT_ALLOWED),
    "day_restore": Row(lambda w: {"pk": w.deleted_day.pk}, NOT_ALLOWED, edit(302), logs=True),
    # No such conflict: nothing to keep (a conflict kept is in test_schedule.py).
    "conflict_keep": Row(day, NOT_ALLOWED, edit(302), data=lambda w: {"conflict": "x"}),
    "call_add": Row(
        day,
        edit(200),
        edit(302),
        data=lambda w: {"person": f"c{w.crew_member.pk}", "call_time": "06:00"},
        logs=True,
    ),
    "call_edit": Row(
        lambda w: {"pk": w.call.pk},
        edit(200),
        edit(302),
        data=lambda w: {"call_time": "05:30", "version": w.call.version},
        logs=True,
    ),
    "call_remove": Row(lambda w: {"pk": w.call.pk}, NOT_ALLOWED, edit(302), logs=True),
    "production_stage_order": Row(
        slug,
        NOT_ALLOWED,
        manage(302),
        data=lambda w: {"stage": w.stage.pk, "direction": "right"},
        logs=True,
    ),
}


def admin_staff_only(staff_status=200):
    return dict.fromkeys(ROLES, ADMIN_LOGIN) | {"anonymous": ANY_LOGIN, "staff": staff_status}


# The admin is staff-only as a whole: a sample of its kinds of page.
ADMIN_ROWS = {
    "admin:index": Row(none, admin_staff_only(), admin_staff_only()),
    "admin:productions_production_changelist": Row(none, admin_staff_only(), admin_staff_only()),
    # POST without the formset management data: the form comes back with errors.
    "admin:productions_production_change": Row(
        lambda w: {"object_id": w.production.pk}, admin_staff_only(), admin_staff_only()
    ),
    "admin:autocomplete": Row(
        none,
        admin_staff_only(),
        admin_staff_only(405),
        query="?app_label=productions&model_name=stage&field_name=production&term=neon",
    ),
    "admin:login": Row(
        none,
        public(200) | {"staff": 302},
        # An empty login form comes back with its errors.
        public(200),
    ),
}

ALL_ROWS = ROWS | ADMIN_ROWS


# An archived production (issue 14) is a record: read-only until a manager
# unarchives it (access.py, OPEN_WHEN_ARCHIVED). What a viewer may do on a
# production stays open (reading, exports, print, calendar links); so do the
# rows below, as on a live production. Every other write or write form of an
# archived production answers 403 to its members (outsiders still get 404).
SAME_WHEN_ARCHIVED = {
    # Managers archive and unarchive, delete, and restore from the trash.
    "production_archive",
    "production_delete",
    "production_deleted",
    "production_restore",
    # Who may see the record stays the managers' call.
    "production_members",
    "member_add",
    "member_level",
    "member_remove",
    "member_resend_invitation",
    # Both write elsewhere and only read the archived production.
    "production_clone",
    "production_save_template",
    # Not a production's: a calendar link is its owner's, a template everyone's.
    "calendar_link_regenerate",
    "template_delete",
}
# POST data that does something on an archived production.
ARCHIVED_DATA = {"production_archive": lambda w: {"archived": "0"}}

REFUSALS = {LOGIN, ADMIN_LOGIN, ANY_LOGIN, 403, 404, 405}
MEMBERS = ("viewer", "editor", "manager", "staff")


def archived_answers(name, method):
    """What each role gets from `name` on an archived production."""
    row = ROWS[name]
    answers = row.get if method == "GET" else row.post
    if name in SAME_WHEN_ARCHIVED or answers["viewer"] not in REFUSALS:
        return answers
    return {
        role: 403 if role in MEMBERS and answer not in REFUSALS else answer
        for role, answer in answers.items()
    }
