"""A production's activity feed: who did what when, filterable, paginated."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from ..access import get_production_for_user
from ..models import Activity

PER_PAGE = 20


class FeedFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="Everyone"
    )
    kind = forms.ChoiceField(required=False, choices=[("", "Everything"), *Activity.Kind.choices])
    person.widget.attrs["class"] = kind.widget.attrs["class"] = "form-select form-select-sm"

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone who ever acted here, members or not any more.
        actors = Activity.objects.filter(production=production).values("actor")
        self.fields["person"].queryset = get_user_model().objects.filter(pk__in=actors)
        self.fields["person"].label_from_instance = lambda user: user.get_username()


def feed_context(request, production):
    form = FeedFilterForm(request.GET, production=production, auto_id="feed-%s")
    form.is_valid()
    filters = form.cleaned_data
    entries = Activity.objects.filter(production=production).order_by("-created_at", "-pk")
    if person := filters.get("person"):
        entries = entries.filter(actor=person)
    if kind := filters.get("kind"):
        entries = entries.filter(kind=kind)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("feed_page"))
    return {"feed_form": form, "feed_page": page}


@require_safe
def production_activity(request, slug):
    production, can = get_production_for_user(request.user, slug)
    context = {"production": production, "can": can, **feed_context(request, production)}
    template_name = "productions/activity.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#feed"
    response = render(request, template_name, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
