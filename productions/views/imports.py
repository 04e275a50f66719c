"""Imports: checklist items from CSV or Excel (upload, preview, confirm), and a
whole production from our JSON.

Importing items needs editor access on the production; importing a JSON file
makes a new production, which anyone who may create one may do. Every refusal
is a 4xx with the reason next to the file field (422; an htmx request gets the
fragment), and nothing is written unless the whole file is valid.
"""

import base64
import secrets
import zlib

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from .. import imports, services
from ..access import Level, get_production_for_user, require

TEMPLATE = "productions/checklist_import.html"
PREVIEW_ROWS = 200  # shown per list; the counts say how many in all


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        allow_empty_file=True,  # said in our words by imports.read_upload()
        help_text=(
            f"A checklist exported from here (.csv or .xlsx), edited or not; at most "
            f"{imports.MAX_BYTES // 1024 // 1024} MB and {imports.MAX_ROWS:,} rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)
    digest = forms.CharField(max_length=64)


class ProductionImportForm(forms.Form):
    file = forms.FileField(
        label="Production file (.json)",
        allow_empty_file=True,
        help_text="A production exported from BTS Tracker as JSON. It becomes a new production.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


def _session_key(production):
    return f"checklist-import:{production.pk}"


def _keep(request, production, name, data, digest):
    """Keep the upload in the session until it is confirmed (one per production)."""
    token = secrets.token_urlsafe(16)
    request.session[_session_key(production)] = {
        "token": token,
        "name": name,
        "data": base64.b64encode(zlib.compress(data, 6)).decode("ascii"),
        "digest": digest,
    }
    return token


def _kept(request, production, token):
    kept = request.session.get(_session_key(production))
    # Compared as bytes: compare_digest refuses a str with non-ASCII characters.
    if not kept or not secrets.compare_digest(
        kept.get("token", "").encode(), token.encode("utf-8", "surrogatepass")
    ):
        return None
    return kept["name"], zlib.decompress(base64.b64decode(kept["data"]))


def _render(request, context, status):
    template = f"{TEMPLATE}#import" if request.htmx else TEMPLATE
    return render(request, template, context, status=status)


def _preview_context(production, can, form, plan, *, name, token=None, notice=""):
    return {
        "production": production,
        "can": can,
        "form": form,
        "plan": plan,
        "creates": plan.creates[:PREVIEW_ROWS],
        "updates": plan.updates[:PREVIEW_ROWS],
        "problems": [str(p) for p in plan.problems[:PREVIEW_ROWS]],
        "filename": name,
        "token": token,
        "notice": notice,
    }


@require_http_methods(["GET", "POST"])
def checklist_import(request, slug):
    """Upload a file: answer with a preview of what importing it would do."""
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.EDITOR)
    if request.method == "GET":
        return render(
            request, TEMPLATE, {"production": production, "can": can, "form": ImportForm()}
        )

    form = ImportForm(request.POST, request.FILES)
    context = {"production": production, "can": can, "form": form}
    if not form.is_valid():
        return _render(request, context, 422)
    upload = form.cleaned_data["file"]
    try:
        data = imports.read_upload(upload)
        table = imports.read_table(upload.name, data)
    except imports.FileRefused as exc:
        form.add_error("file", exc.message)
        return _render(request, context, 422)
    plan = imports.make_plan(production, table)
    if plan.problems:
        context = _preview_context(production, can, form, plan, name=upload.name)
        form.add_error(
            "file",
            f"{imports.plural(len(plan.problems), 'problem')} to fix in the file first: "
            "nothing was imported.",
        )
        return _render(request, context, 422)
    token = _keep(request, production, upload.name, data, plan.digest)
    context = _preview_context(production, can, ImportForm(), plan, name=upload.name, token=token)
    return _render(request, context, 200)


@require_POST
def checklist_import_confirm(request, slug):
    """Apply the previewed file, all or nothing."""
    production, can = get_production_for_user(request.user, slug)
    require(can, Level.EDITOR)
    form = ImportForm()
    confirm = ConfirmForm(request.POST)
    kept = _kept(request, production, confirm.data.get("token", "")) if confirm.is_valid() else None
    if kept is None:
        context = {
            "production": production,
            "can": can,
            "form": form,
            "error": "This preview is out of date or was already used: upload the file again.",
        }
        return _render(request, context, 409)
    name, data = kept
    try:
        table = imports.read_table(name, data)
        plan = services.apply_checklist_import(
            production, table, by=request.user, filename=name, digest=confirm.cleaned_data["digest"]
        )
    except services.ImportChanged as exc:
        token = _keep(request, production, name, data, exc.plan.digest)
        context = _preview_context(
            production,
            can,
            form,
            exc.plan,
            name=name,
            token=token,
            notice="The checklist changed since your preview. This is what the import does now.",
        )
        return _render(request, context, 409)
    except services.ImportRefused as exc:
        context = _preview_context(production, can, form, exc.plan, name=name)
        context["error"] = "The file no longer fits the checklist: nothing was imported."
        return _render(request, context, 422)
    request.session.pop(f"checklist-import:{production.pk}", None)
    if plan.changes_anything:
        messages.success(
            request,
            f"Imported {name}: {imports.plural(len(plan.creates), 'item')} added, "
            f"{imports.plural(len(plan.updates), 'item')} updated.",
        )
    else:
        messages.info(request, f"{name} matches the checklist already: nothing changed.")
    return _done(request, production)


def _done(request, production):
    if request.htmx:
        return HttpResponseClientRedirect(production.get_absolute_url())
    return redirect(production)


@require_http_methods(["GET", "POST"])
def production_import(request):
    """A production exported as JSON, recreated as a new production."""
    template = "productions/production_import.html"
    form = ProductionImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render(
            request, f"{template}#form" if request.htmx else template, {"form": form}, status=422
        )
    upload = form.cleaned_data["file"]
    try:
        data = imports.read_upload(upload, limit=imports.MAX_JSON_BYTES)
        document = imports.read_production_document(upload.name, data)
    except imports.FileRefused as exc:
        form.add_error("file", exc.message)
        return render(
            request, f"{template}#form" if request.htmx else template, {"form": form}, status=422
        )
    production = services.import_production(document, by=request.user, filename=upload.name)
    messages.success(request, f"Imported {production} from {upload.name}.")
    return _done(request, production)
