"""The schedule's forms: shoot days, calls, locations and the person filter
(kept apart from forms.py, as template_forms.py is)."""

from django import forms

from .forms import DateInput, TextForm, VersionedForm
from .models import (
    CrewMember,
    CrewRole,
    Location,
    Membership,
    ShootDay,
    in_calendar_range,
)
from .textclean import CleanCharField, visible


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DayForm(VersionedForm):
    """A shoot day: the add form and the edit form (its date may change too)."""

    class Meta(TextForm.Meta):
        model = ShootDay
        fields = [
            "date",
            "kind",
            "stage",
            "call_time",
            "wrap_time",
            "wraps_next_day",
            "locations",
            "weather",
            "notes",
        ]
        widgets = {
            "date": DateInput,
            "call_time": TimeInput,
            "wrap_time": TimeInput,
            "locations": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"weather": "Weather"}
        help_texts = {"weather": "Free text: “Sunny, 24 °C, sunset 21:12”."}

    def __init__(self, *args, production, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = production.stages.all()
        self.fields["stage"].required = False
        self.fields["locations"].queryset = locations
        self.fields["locations"].required = False
        self.fields["date"].widget.attrs["autofocus"] = True

    def clean(self):
        cleaned = super().clean()
        call, wrap = cleaned.get("call_time"), cleaned.get("wrap_time")
        if cleaned.get("wraps_next_day") and wrap is None and "wrap_time" not in self.errors:
            self.add_error("wrap_time", "A wrap after midnight needs a wrap time.")
        elif call and wrap and wrap <= call and not cleaned.get("wraps_next_day"):
            self.add_error(
                "wrap_time", "The wrap is before the call: tick “wraps after midnight” (+1)."
            )
        return cleaned

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not in_calendar_range(date):
            raise forms.ValidationError("Pick a date from 1900 to 2200.")
        return date

    def _post_clean(self):
        # The services write the day (and its locations) and check their own
        # rules; the instance a view holds is left as it was read.
        pass


class DayDateForm(forms.Form):
    """Move or duplicate a day: the date it goes to."""

    date = forms.DateField(widget=DateInput(attrs={"autofocus": True}), label="To the date")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not in_calendar_range(date):
            raise forms.ValidationError("Pick a date from 1900 to 2200.")
        return date


class CallForm(forms.Form):
    """A person called on a day (add: who; edit: the rest)."""

    person = forms.ChoiceField(label="Who")
    role = forms.ModelChoiceField(queryset=CrewRole.objects.all(), required=False)
    call_time = forms.TimeField(
        required=False, widget=TimeInput, help_text="Empty: the day's general call."
    )
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)
    notes = CleanCharField(max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, production=None, locations, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        if call is not None:
            del self.fields["person"]
            self.initial.update(
                role=call.role_id,
                call_time=call.call_time,
                location=call.location_id,
                notes=call.notes,
                version=call.version,
            )
            return
        crew = CrewMember.objects.filter(assignments__production=production).distinct()
        members = list(
            Membership.objects.filter(production=production)
            .select_related("user")
            .order_by("user__username")
        )
        self.members = {m.user_id: m.pk for m in members}
        self.fields["person"].choices = [
            ("", "Choose…"),
            ("Crew", [(f"c{m.pk}", m.name) for m in crew.order_by("name", "pk")]),
            (
                "Members",
                [
                    (f"u{m.user_id}", m.user.get_full_name() or m.user.get_username())
                    for m in members
                ],
            ),
        ]
        self.fields["person"].widget.attrs["autofocus"] = True

    def clean_person(self):
        """{"crew_member": …} or {"user": …}: someone on the production's
        crew or among its members (the choices say who)."""
        value = self.cleaned_data["person"]
        pk = int(value[1:])
        if value[0] == "c":
            return {"crew_member": CrewMember.objects.get(pk=pk)}
        return {"user": Membership.objects.select_related("user").get(pk=self.members[pk]).user}


class LocationForm(TextForm):
    class Meta(TextForm.Meta):
        model = Location
        fields = ["name", "address", "access_notes", "nearest_hospital"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "access_notes": forms.Textarea(attrs={"rows": 2}),
            "nearest_hospital": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not visible(name):
            raise forms.ValidationError("A location needs a name.")
        return name


class PersonFilterForm(forms.Form):
    """The schedule's filter: one person (a stale value shows everyone)."""

    person = forms.CharField(required=False, max_length=20)

    def __init__(self, data=None, *, people=(), **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.people = list(people)
        self.is_valid()

    def value(self):
        person = getattr(self, "cleaned_data", {}).get("person", "")
        return person if person in dict(self.people) else ""
