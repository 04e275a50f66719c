"""Cloning a production, saving it as a named template, and the templates page
(issue 6, capability 7). Starting a production from a template is the
new-production form's "Start from" (views/productions.py).

Without JavaScript each form posts and redirects; with htmx a refused form
comes back as its fragment (422) and a saved one sends the browser on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_htmx.http import HttpResponseClientRedirect

from .. import services
from ..access import (
    get_production_for_user,
    get_template_to_delete,
    require_to,
    templates_for_user,
)
from ..template_forms import CloneForm, SaveTemplateForm

TEMPLATES_PER_PAGE = 25


def _go(request, url):
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _form_page(request, template_name, context, status):
    if request.htmx:
        template_name += "#form"
    return render(request, template_name, context, status=status)


def _errors(form, exc):
    """A service's ValidationError, said next to its field (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@require_http_methods(["GET", "POST"])
def production_clone(request, slug):
    source, can = get_production_for_user(request.user, slug)
    require_to(can, "clone")
    form = CloneForm(request.POST if request.method == "POST" else None, source=source)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                production = services.clone_production(
                    source,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    offset_days=form.cleaned_data["offset_days"],
                )
            except services.DatesOutOfRange as exc:
                form.add_error("offset_days", str(exc))
            else:
                messages.success(request, f"Created {production} as a copy of {source}.")
                return _go(request, production.get_absolute_url())
        status = 422
    context = {"form": form, "production": source, "can": can}
    return _form_page(request, "productions/production_clone.html", context, status)


@require_http_methods(["GET", "POST"])
def production_save_template(request, slug):
    production, can = get_production_for_user(request.user, slug)
    require_to(can, "save_template")
    data = request.POST if request.method == "POST" else None
    form = SaveTemplateForm(data, initial={"name": production.title})
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                template = services.save_as_template(
                    production, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Saved the stages and items of {production} as the template “{template}”.",
                )
                return _go(request, reverse("template_list"))
        status = 422
    context = {"form": form, "production": production, "can": can}
    return _form_page(request, "productions/template_save.html", context, status)


@require_safe
def template_list(request):
    templates = templates_for_user(request.user).for_list()
    page = Paginator(templates, TEMPLATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "productions/template_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def template_delete(request, pk):
    template, _ = get_template_to_delete(request.user, pk)
    if request.method == "POST":
        services.delete_template(template, by=request.user)
        messages.success(request, f"Deleted the template “{template}”.")
        return redirect("template_list")
    return render(request, "productions/template_delete.html", {"template": template})
