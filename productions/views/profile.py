"""The user's own settings: their time zone."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..middleware import SESSION_TIME_ZONE, valid_time_zone
from ..models import Profile


def _zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Dates and times are shown in this zone, and exports name it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", "The site's default"), *_zone_choices()]
        self.fields["time_zone"].required = False


@require_http_methods(["GET", "POST"])
def my_settings(request):
    profile = Profile.objects.filter(user=request.user).first()
    initial = {"time_zone": profile.time_zone if profile else ""}
    form = TimeZoneForm(request.POST or None, initial=initial)
    status = 200
    if form.is_bound:
        if form.is_valid():
            name = form.cleaned_data["time_zone"]
            services.set_time_zone(request.user, name, by=request.user)
            request.session[SESSION_TIME_ZONE] = name
            messages.success(request, "Saved your settings.")
            return redirect("my_settings")
        status = 422
    return render(request, "productions/my_settings.html", {"form": form}, status=status)


@require_POST
def guess_time_zone(request):
    """The browser's zone, sent once by app.js on a first visit: kept unless the
    user already chose one."""
    name = request.POST.get("time_zone", "")
    if not valid_time_zone(name):
        return HttpResponse("Unknown time zone.", status=400, content_type="text/plain")
    profile = services.set_time_zone(request.user, name, by=request.user, only_if_unset=True)
    request.session[SESSION_TIME_ZONE] = profile.time_zone
    return HttpResponse(status=204)
