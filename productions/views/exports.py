"""Downloads of a production's checklist, its print view and calendar links.

Every format comes from productions/exports/ (the same rows, columns and
filter); the production is looked up through access.py, so anyone who may see
it (viewers too) may export it, and nobody else can tell it exists.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from .. import exports, services
from ..access import (
    crew_for_user,
    get_calendar_feed,
    get_calendar_token_for_user,
    get_production_for_user,
)
from ..models import CalendarToken, CrewMember

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportFilterForm(forms.Form):
    """The filter every export takes from its query string; all optional."""

    stage = forms.ModelChoiceField(queryset=None, required=False)
    assignee = forms.ModelChoiceField(queryset=CrewMember.objects.all(), required=False)
    open = forms.BooleanField(required=False)
    location = forms.CharField(required=False)  # "contains", cut to the field's 200

    def __init__(self, *args, production, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = production.stages.all()
        self.fields["assignee"].queryset = crew_for_user(user)

    def filters(self):
        data = self.cleaned_data
        return exports.Filters(
            stage=data.get("stage"),
            assignee=data.get("assignee"),
            open_only=bool(data.get("open")),
            location=data.get("location", "").strip()[:200],
        )


def _bad_filter(form):
    lines = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
    return HttpResponseBadRequest(
        "This export's filter is not valid:\n" + "\n".join(lines) + "\n",
        content_type="text/plain; charset=utf-8",
    )


def _export_setup(request, slug):
    """(production, filters, zone, None), or (.., .., .., a 400) for a bad filter.

    Queries: session, user, the production with the user's level (access.py),
    the user's time zone, then a stage and an assignee if the filter names them."""
    production, _ = get_production_for_user(request.user, slug)
    form = ExportFilterForm(request.GET, production=production, user=request.user)
    zone = exports.export_zone(request.user)
    if not form.is_valid():
        return production, None, zone, _bad_filter(form)
    return production, form.filters(), zone, None


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def production_export_csv(request, slug):
    production, filters, zone, error = _export_setup(request, slug)
    if error:
        return error
    rows = exports.export_rows(production, filters, zone)
    response = StreamingHttpResponse(
        exports.csv_chunks(rows, zone), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filters.filename(production, "csv", timezone.localdate()))


@require_safe
def production_export_xlsx(request, slug):
    production, filters, zone, error = _export_setup(request, slug)
    if error:
        return error
    stages = filters.apply_to_stages(production.stages.order_by("position", "pk"))
    out = exports.xlsx_file(
        exports.export_rows(production, filters, zone),
        zone,
        list(stages.values_list("pk", "name")),
    )
    return FileResponse(
        out,
        as_attachment=True,
        filename=filters.filename(production, "xlsx", timezone.localdate()),
        content_type=XLSX,
    )


# A printed checklist longer than this is refused (WeasyPrint lays the whole
# document out in memory): the message says how to narrow it.
PRINT_MAX_ITEMS = 2_000


def _print_context(request, slug):
    production, filters, zone, error = _export_setup(request, slug)
    if error:
        return None, error
    rows = exports.export_rows(production, filters, zone)
    context = exports.print_context(production, filters, zone, rows)
    if context["item_count"] > PRINT_MAX_ITEMS:
        message = (
            f"This checklist has {context['item_count']:,} items; at most "
            f"{PRINT_MAX_ITEMS:,} print at once. Choose a stage, a person or open items "
            "only, or download Excel or CSV instead."
        )
        return None, HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return context, None


@require_safe
def production_print(request, slug):
    """The printable checklist (the same template the PDF is made from)."""
    context, error = _print_context(request, slug)
    if error:
        return error
    context["pdf_url"] = (
        reverse("production_export_pdf", args=[slug]) + "?" + request.GET.urlencode()
    )
    return render(request, exports.PRINT_TEMPLATE, context)


@require_safe
def production_export_pdf(request, slug):
    context, error = _print_context(request, slug)
    if error:
        return error
    production, filters = context["production"], context["filters"]
    response = HttpResponse(exports.pdf_bytes(context), content_type="application/pdf")
    return _attachment(response, filters.filename(production, "pdf", timezone.localdate()))


@require_safe
def production_export_ics(request, slug):
    production, filters, zone, error = _export_setup(request, slug)
    if error:
        return error
    rows = exports.export_rows(production, filters, zone)
    body = exports.calendar_bytes(production, filters, zone, rows)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    return _attachment(response, filters.filename(production, "ics", timezone.localdate()))


@require_safe
def production_export_json(request, slug):
    """The whole production (the filter does not apply): docs/exports.md."""
    production, _ = get_production_for_user(request.user, slug)
    response = JsonResponse(
        exports.production_document(production),
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    filename = f"{production.slug}-{timezone.localdate():%Y-%m-%d}.json"
    return _attachment(response, filename)


# --- Calendar subscriptions -----------------------------------------------------


class CalendarLinkForm(forms.Form):
    crew_member = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Whose items",
        empty_label="The whole production",
    )

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crew_member"].queryset = CrewMember.objects.filter(
            assignments__production=production
        ).distinct()


def calendar_context(request, production, can, form=None):
    tokens = (
        CalendarToken.objects.filter(owner=request.user, production=production)
        .select_related("crew_member")
        .order_by("crew_member__name", "pk")
    )
    return {
        "production": production,
        "can": can,
        "tokens": [
            (token, request.build_absolute_uri(reverse("calendar_feed", args=[token.secret])))
            for token in tokens
        ],
        "form": form or CalendarLinkForm(production=production),
    }


@require_safe
def production_calendar(request, slug):
    """The user's own subscription links for this production."""
    production, can = get_production_for_user(request.user, slug)
    return render(request, "productions/calendar.html", calendar_context(request, production, can))


@require_POST
def calendar_link_create(request, slug):
    production, can = get_production_for_user(request.user, slug)
    form = CalendarLinkForm(request.POST, production=production)
    if not form.is_valid():
        context = calendar_context(request, production, can, form)
        return render(request, "productions/calendar.html", context, status=422)
    services.calendar_link(
        production, by=request.user, crew_member=form.cleaned_data["crew_member"]
    )
    return redirect("production_calendar", slug=production.slug)


@require_POST
def calendar_link_regenerate(request, pk):
    token, _ = get_calendar_token_for_user(request.user, pk)
    services.regenerate_calendar_link(token, by=request.user)
    messages.success(request, "New link made: the old one no longer works.")
    return redirect("production_calendar", slug=token.production.slug)


@login_not_required
@require_safe
def calendar_feed(request, secret):
    """A calendar app's subscription: the secret in the URL is the login."""
    token, production, _ = get_calendar_feed(secret)
    filters = exports.Filters(assignee=token.crew_member)
    zone = exports.export_zone(token.owner)
    rows = exports.export_rows(production, filters, zone)
    name = production.title
    if token.crew_member is not None:
        name = f"{production.title} · {token.crew_member.name}"
    response = HttpResponse(
        exports.calendar_bytes(production, filters, zone, rows, name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = f'inline; filename="{production.slug}.ics"'
    return response
