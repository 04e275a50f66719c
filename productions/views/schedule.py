"""The schedule page, its day, call and location forms, and call sheets.

Viewers read the schedule and call sheets; editors plan (add, edit, move,
duplicate, delete and restore days; call people; add locations; keep a
conflict). Without JavaScript each form posts and redirects; with htmx a
refused form comes back as its fragment (422, or 409 when someone else
saved first) and a saved one sends the browser to the schedule.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from .. import schedule_queries
from ..access import (
    Level,
    get_call_for_user,
    get_day_for_user,
    get_deleted_day_for_user,
    get_production_for_user,
    locations_for_user,
    require,
)
from ..exceptions import Conflict
from ..exports.schedule import call_sheet_pdf_bytes
from ..schedule_forms import CallForm, DayDateForm, DayForm, LocationForm, PersonFilterForm
from ..services import schedule as services
from .common import conflict_message

SCHEDULE = "productions/schedule.html"
FORM = "productions/schedule_form.html"
CALL_SHEET = "productions/call_sheet.html"


def schedule_url(production, day=None):
    url = reverse("schedule", args=[production.slug])
    return f"{url}#day-{day.pk}" if day is not None else url


def _done(request, url, message=""):
    if message:
        messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _form(request, context, status=200):
    """A form page (without JavaScript) or its fragment (htmx)."""
    template_name = FORM + "#form" if request.htmx else FORM
    return render(request, template_name, context, status=status)


def _with_errors(form, exc):
    for name, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


@require_safe
def schedule(request, slug):
    production, can = get_production_for_user(request.user, slug)
    zone = timezone.get_current_timezone()
    person = request.GET.get("person", "")
    page = schedule_queries.schedule(production, zone, person)
    form = PersonFilterForm(request.GET, people=page.people)
    if person and not form.value():
        # A stale or mistyped person: everyone, as without a filter.
        page = schedule_queries.schedule(production, zone)
    context = {
        "production": production,
        "can": can,
        "page": page,
        "filter": form,
        "person": form.value(),
        "zone": production.zone,
    }
    return render(request, SCHEDULE, context)


def _day_form(request, production, day=None):
    data = request.POST if request.method == "POST" else None
    prefix = f"day-{day.pk}" if day else "new-day"
    return DayForm(
        data,
        instance=day,
        production=production,
        locations=locations_for_user(request.user),
        auto_id=f"{prefix}-%s",
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def day_add(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.EDITOR)
    form = _day_form(request, production)
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            fields = form.changed_fields()
            try:
                day = services.add_day(production, by=request.user, **fields)
            except ValidationError as exc:
                _with_errors(form, exc)
            else:
                return _done(request, schedule_url(production, day), f"Added the day {day}.")
    context = {
        "production": production,
        "form": form,
        "title": "Add a day",
        "action": reverse("day_add", args=[slug]),
        "submit": "Add the day",
        "cancel": schedule_url(production),
    }
    return _form(request, context, status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def day_edit(request, pk):
    day, can = get_day_for_user(request.user, pk)
    require(can, Level.EDITOR)
    production = day.production
    form = _day_form(request, production, day)
    status, conflict = 200, None
    if form.is_bound:
        status = 422
        if form.is_valid():
            fields = form.changed_fields()
            version = form.cleaned_data["version"]
            try:
                day = services.update_day(day, by=request.user, version=version, **fields)
            except Conflict:
                conflict, _ = get_day_for_user(request.user, pk)
                data = request.POST.copy()
                data["version"] = conflict.version
                form = DayForm(
                    data,
                    instance=conflict,
                    production=production,
                    locations=locations_for_user(request.user),
                    auto_id=form.auto_id,
                )
                form.is_valid()
                status = 409
            except ValidationError as exc:
                _with_errors(form, exc)
            else:
                return _done(request, schedule_url(production, day), f"Saved the day {day}.")
    context = {
        "production": production,
        "day": day,
        "form": form,
        "conflict": conflict,
        "conflict_message": conflict_message(conflict) if conflict else "",
        "title": f"Edit the day {day}",
        "action": reverse("day_edit", args=[day.pk]),
        "submit": "Save the day",
        "cancel": schedule_url(production, day),
    }
    return _form(request, context, status)


def _date_form(request, day, *, action, title, submit, write):
    form = DayDateForm(
        request.POST if request.method == "POST" else None,
        initial={"date": day.date, "version": day.version},
        auto_id=f"day-{day.pk}-{action}-%s",
    )
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                result, message = write(form.cleaned_data)
            except Conflict:
                form.add_error(None, "Someone changed this day meanwhile: check it and try again.")
                status = 409
            except ValidationError as exc:
                _with_errors(form, exc)
            else:
                return _done(request, schedule_url(day.production, result), message)
    context = {
        "production": day.production,
        "day": day,
        "form": form,
        "title": title,
        "action": reverse(f"day_{action}", args=[day.pk]),
        "submit": submit,
        "cancel": schedule_url(day.production, day),
    }
    return _form(request, context, status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def day_move(request, pk):
    day, can = get_day_for_user(request.user, pk)
    require(can, Level.EDITOR)

    def write(data):
        moved = services.move_day(day, by=request.user, date=data["date"], version=data["version"])
        return moved, f"Moved the day to {moved.date:%-d %b %Y}."

    return _date_form(
        request, day, action="move", title=f"Move the day {day}", submit="Move", write=write
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def day_duplicate(request, pk):
    day, can = get_day_for_user(request.user, pk)
    require(can, Level.EDITOR)

    def write(data):
        copy = services.duplicate_day(day, by=request.user, date=data["date"])
        return copy, f"Copied the day and its calls to {copy.date:%-d %b %Y}."

    return _date_form(
        request,
        day,
        action="duplicate",
        title=f"Duplicate the day {day} with its calls",
        submit="Duplicate",
        write=write,
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def day_delete(request, pk):
    day, can = get_day_for_user(request.user, pk)
    require(can, Level.EDITOR)
    if request.method == "POST":
        day = services.delete_day(day, by=request.user)
        if request.htmx:
            return render(request, f"{SCHEDULE}#day-deleted", {"day": day, "can": can})
        return redirect("day_deleted", pk=day.pk)
    template_name = "productions/day_delete.html"
    if request.htmx:
        template_name += "#confirm"
    return render(request, template_name, {"day": day, "can": can})


@require_safe
def day_deleted(request, pk):
    """Without JavaScript, the page after a delete: what went, and Undo."""
    day, can = get_deleted_day_for_user(request.user, pk)
    return render(request, "productions/day_deleted.html", {"day": day, "can": can})


@require_POST
def day_restore(request, pk):
    day, can = get_deleted_day_for_user(request.user, pk)
    require(can, Level.EDITOR)
    day = services.restore_day(day, by=request.user)
    return _done(request, schedule_url(day.production, day), f"Restored the day {day}.")


@require_POST
def conflict_keep(request, pk):
    """ "Keep anyway": the conflict stays, recorded in the activity log."""
    day, can = get_day_for_user(request.user, pk)
    require(can, Level.EDITOR)
    key = request.POST.get("conflict", "")
    sheet = schedule_queries.call_sheet(day, timezone.get_current_timezone())
    found = {c.key: c for c in sheet.row.conflicts}
    if key not in found:
        # Already gone (someone moved a day), or never was: nothing to keep.
        messages.info(request, "That conflict is no longer there.")
        return _done(request, reverse("call_sheet", args=[day.pk]))
    services.keep_conflict(day, key, by=request.user, description=found[key].message)
    return _done(request, reverse("call_sheet", args=[day.pk]), "Kept anyway: noted in the log.")


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def call_add(request, pk):
    day, can = get_day_for_user(request.user, pk)
    require(can, Level.EDITOR)
    form = CallForm(
        request.POST if request.method == "POST" else None,
        production=day.production,
        locations=locations_for_user(request.user),
        auto_id=f"day-{day.pk}-call-%s",
    )
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                call = services.add_call(
                    day,
                    by=request.user,
                    **data["person"],
                    role=data["role"],
                    call_time=data["call_time"],
                    location=data["location"],
                    notes=data["notes"],
                )
            except ValidationError as exc:
                form.add_error("person", exc.messages[0])
            else:
                return _done(
                    request,
                    reverse("call_sheet", args=[day.pk]),
                    f"Called {call.person_name} on {day}.",
                )
    context = {
        "production": day.production,
        "day": day,
        "form": form,
        "title": f"Call someone on {day}",
        "action": reverse("call_add", args=[day.pk]),
        "submit": "Add the call",
        "cancel": reverse("call_sheet", args=[day.pk]),
    }
    return _form(request, context, status)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def call_edit(request, pk):
    call, can = get_call_for_user(request.user, pk)
    require(can, Level.EDITOR)
    day = call.day
    form = CallForm(
        request.POST if request.method == "POST" else None,
        call=call,
        locations=locations_for_user(request.user),
        auto_id=f"call-{call.pk}-%s",
    )
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                services.update_call(call, by=request.user, version=version, **data)
            except Conflict:
                form.add_error(None, "Someone changed this call meanwhile: check it and try again.")
                status = 409
            else:
                return _done(
                    request,
                    reverse("call_sheet", args=[day.pk]),
                    f"Saved the call of {call.person_name}.",
                )
    context = {
        "production": day.production,
        "day": day,
        "call": call,
        "form": form,
        "title": f"{call.person_name}'s call on {day}",
        "action": reverse("call_edit", args=[call.pk]),
        "submit": "Save the call",
        "cancel": reverse("call_sheet", args=[day.pk]),
    }
    return _form(request, context, status)


@require_POST
def call_remove(request, pk):
    call, can = get_call_for_user(request.user, pk)
    require(can, Level.EDITOR)
    services.remove_call(call, by=request.user)
    return _done(
        request,
        reverse("call_sheet", args=[call.day_id]),
        f"Removed the call of {call.person_name}.",
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def location_add(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.EDITOR)
    form = LocationForm(
        request.POST if request.method == "POST" else None, auto_id="new-location-%s"
    )
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                location = services.add_location(production, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _with_errors(form, exc)
            else:
                return _done(request, schedule_url(production), f"Added the location {location}.")
    context = {
        "production": production,
        "form": form,
        "title": "Add a location",
        "action": reverse("location_add", args=[slug]),
        "submit": "Add the location",
        "cancel": schedule_url(production),
    }
    return _form(request, context, status)


def _sheet_context(request, day, can):
    sheet = schedule_queries.call_sheet(day, timezone.get_current_timezone())
    return {
        "production": day.production,
        "day": day,
        "can": can,
        "sheet": sheet,
        "row": sheet.row,
        "zone": day.production.zone,
    }


@require_safe
def call_sheet(request, pk):
    day, can = get_day_for_user(request.user, pk)
    return render(request, CALL_SHEET, _sheet_context(request, day, can))


@require_safe
def call_sheet_pdf(request, pk):
    day, can = get_day_for_user(request.user, pk)
    context = _sheet_context(request, day, can)
    response = HttpResponse(call_sheet_pdf_bytes(context), content_type="application/pdf")
    name = f"{day.production.slug}-call-sheet-{day.date.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
