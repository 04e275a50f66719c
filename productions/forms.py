import functools
import zoneinfo

from django import forms
from django.db import models
from django.db.models import Exists, OuterRef

from .fields import FORM as ITEM_FORM_FIELDS
from .models import (
    Assignment,
    BulkAction,
    ChecklistItem,
    CrewMember,
    CrewRole,
    Production,
    Stage,
    validate_calendar_date,
)
from .textclean import CleanCharField, visible


def clean_text_formfield(db_field, **kwargs):
    """Model text fields as form fields that drop control and bidi characters.

    Used as ModelForms' `formfield_callback` (and by the admin)."""
    if type(db_field) is models.CharField and not db_field.choices:
        return db_field.formfield(form_class=CleanCharField, **kwargs)
    if type(db_field) is models.TextField:
        return db_field.formfield(form_class=CleanCharField, multiline=True, **kwargs)
    return db_field.formfield(**kwargs)


def time_zone_choices():
    return [("", "—"), *((name, name) for name in sorted(zoneinfo.available_timezones()))]


class DateInput(forms.DateInput):
    input_type = "date"


class CalendarDateField(forms.DateField):
    """A date in the range the app stores (models.dates), for forms that are not
    ModelForms (a ModelForm's date fields get the model field's validator)."""

    default_validators = [validate_calendar_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput)
        super().__init__(**kwargs)


class TextForm(forms.ModelForm):
    class Meta:
        formfield_callback = clean_text_formfield


class VersionedForm(TextForm):
    """Carries the version of the object it was opened on, so a save made over
    someone else's change can be refused instead of silently overwriting it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def changed_fields(self):
        """The cleaned model fields, without the version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ProductionForm(VersionedForm):
    class Meta(TextForm.Meta):
        model = Production
        fields = [
            "title",
            "kind",
            "artist",
            "venue",
            "start_date",
            "end_date",
            "status",
            "description",
            "time_zone",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    time_zone = forms.ChoiceField(
        required=False,
        choices=time_zone_choices,
        label="Time zone",
        help_text="The schedule's call and wrap times are in this zone (empty: yours).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[
                "kind"
            ].help_text = "Changing the kind keeps the stages this production already has."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            # Said next to the field, before the database constraint would.
            self.add_error("end_date", "The end date cannot be before the start date.")
        return cleaned


class ProductionFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    kind = forms.ChoiceField(required=False, choices=[("", "All kinds"), *Production.Kind.choices])
    status = forms.ChoiceField(
        required=False, choices=[("", "All statuses"), *Production.Status.choices]
    )


class StageStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[*Stage.Status.choices, ("auto", "Follow the checklist")])
    confirmed = forms.BooleanField(required=False)


class AddItemForm(forms.Form):
    """One item, or one per non-empty line of a pasted list."""

    MAX_LINES = 200
    MAX_TITLE = 300

    # Generous for 200 full lines; a longer paste is refused, not read.
    title = CleanCharField(
        multiline=True, strip=True, max_length=MAX_LINES * (MAX_TITLE + 2), label="New item"
    )

    def clean_title(self):
        title = self.cleaned_data["title"]
        titles = [line.strip() for line in title.splitlines()]
        titles = [line for line in titles if line]
        if not titles:
            raise forms.ValidationError(self.fields["title"].error_messages["required"])
        if len(titles) > self.MAX_LINES:
            raise forms.ValidationError(
                f"Paste at most {self.MAX_LINES} lines at a time (this has {len(titles)})."
            )
        for number, line in enumerate(titles, 1):
            if len(line) > self.MAX_TITLE:
                message = (
                    f"Ensure this value has at most {self.MAX_TITLE} characters "
                    f"(it has {len(line)})."
                )
                if len(titles) > 1:
                    message = f"Line {number}: {message[0].lower()}{message[1:]}"
                raise forms.ValidationError(message)
        self.cleaned_data["titles"] = titles
        return title


class ChecklistFilterForm(forms.Form):
    """The production page's filter. Each field stands alone: a stale or
    mistyped value is dropped from `filters()` and the others still apply."""

    STATES = [("", "Any state"), ("open", "Open"), ("done", "Done"), ("overdue", "Overdue")]

    q = forms.CharField(required=False, label="Search")
    location = forms.CharField(required=False, label="Location contains")
    # Crew member and role ids are checked by the database query itself (an id
    # not on this production matches nothing), so validating costs no query.
    assignee = forms.CharField(required=False, label="Assigned to")
    role = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, label="Role")
    department = forms.ChoiceField(
        required=False,
        choices=[("", "Any department"), *CrewRole.Department.choices],
        label="Department",
    )
    state = forms.ChoiceField(required=False, choices=STATES, label="State")
    due_from = forms.DateField(required=False, label="Due from", widget=DateInput)
    due_to = forms.DateField(required=False, label="Due to", widget=DateInput)

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.is_valid()

    def clean_q(self):
        return self.cleaned_data["q"].strip()[:200]

    def clean_location(self):
        return self.cleaned_data["location"].strip()[:200]

    def clean_assignee(self):
        value = self.cleaned_data["assignee"].strip()
        if value in ("", "none"):
            return value
        if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**31:
            raise forms.ValidationError("Unknown crew member.")
        return int(value)

    def filters(self):
        """The valid, non-empty filters."""
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "")
        }


class CrewMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.default_role})" if obj.default_role else obj.name


class ItemForm(VersionedForm):
    assignee = CrewMemberChoiceField(
        queryset=CrewMember.objects.none(), required=False, empty_label="Unassigned"
    )

    class Meta(TextForm.Meta):
        model = ChecklistItem
        fields = ITEM_FORM_FIELDS  # fields.ITEM_FIELDS marked `form`
        widgets = {"due_date": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"required": "Required"}
        help_texts = {"required": "The stage cannot be marked done while this is open."}

    # The first ones in this order; the others follow in the table's order.
    field_order = ["title", "assignee", "due_date", "required"]

    def __init__(self, *args, crew, production, **kwargs):
        super().__init__(*args, **kwargs)
        # The edit opens inline: the keyboard lands in its first field.
        self.fields["title"].widget.attrs["autofocus"] = True
        # The production's own crew first, then the rest of the user's crew.
        on_crew = Assignment.objects.filter(production=production, crew_member=OuterRef("pk"))
        self.fields["assignee"].queryset = (
            crew.select_related("default_role")
            .annotate(on_crew=Exists(on_crew))
            .order_by("-on_crew", "name", "pk")
        )


@functools.cache
def item_import_form(names):
    """The model's own form for the item fields `names` (a tuple of the
    fields.ITEM_FIELDS an imported row holds): what every imported row must
    pass, so lengths, ranges and blank-ness come from the model."""
    return forms.modelform_factory(
        ChecklistItem, fields=list(names), formfield_callback=clean_text_formfield
    )


class CommentForm(forms.Form):
    body = CleanCharField(
        multiline=True, label="Comment", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CrewMemberForm(TextForm):
    """A freelancer new to the directory, added from a production page."""

    role = forms.ModelChoiceField(queryset=CrewRole.objects.all())

    class Meta(TextForm.Meta):
        model = CrewMember
        fields = ["name", "role", "email", "phone"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and CrewMember.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone in the crew directory already has this email: assign them instead."
            )
        return email


class AssignmentForm(forms.ModelForm):
    crew_member = CrewMemberChoiceField(queryset=CrewMember.objects.none())
    role = forms.ModelChoiceField(
        queryset=CrewRole.objects.all(),
        required=False,
        empty_label="Their usual role",
    )

    class Meta:
        model = Assignment
        fields = ["crew_member", "role"]

    def __init__(self, *args, production, crew, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.production = production
        self.fields["crew_member"].queryset = crew.select_related("default_role").order_by(
            "name", "pk"
        )

    def clean(self):
        cleaned = super().clean()
        crew_member, role = cleaned.get("crew_member"), cleaned.get("role")
        if crew_member and not role:
            role = cleaned["role"] = crew_member.default_role
            if role is None:
                self.add_error("role", f"{crew_member} has no usual role: pick one.")
                return cleaned
        # ModelForm skips the unique constraint because `production` is not a
        # form field, so check it here to answer with a message, not a 500.
        if crew_member and role:
            taken = Assignment.objects.filter(
                production=self.instance.production, crew_member=crew_member, role=role
            )
            if taken.exists():
                self.add_error("crew_member", f"{crew_member} is already on the crew as {role}.")
        return cleaned


class StageForm(VersionedForm):
    """A stage's name, phase and dates: the add form and the edit form."""

    class Meta(TextForm.Meta):
        model = Stage
        fields = ["name", "phase", "start_date", "due_date"]
        widgets = {"start_date": DateInput, "due_date": DateInput}
        labels = {"start_date": "Starts on", "due_date": "Due on"}

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not visible(name):
            raise forms.ValidationError("A stage needs a name.")
        return name

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date cannot be before the start date.")
        return cleaned


class BulkForm(forms.Form):
    """A bulk change of the checked items (or of every item matching the
    page's filter): the action and the one value it needs."""

    Action = BulkAction.Action

    action = forms.ChoiceField(
        choices=[("", "Choose…"), *Action.choices],
        label="Change",
        error_messages={"required": "Choose what to do with the selected items."},
    )
    all_matching = forms.BooleanField(required=False)
    assignee = CrewMemberChoiceField(
        queryset=CrewMember.objects.none(), required=False, empty_label="Nobody"
    )
    due_date = CalendarDateField(required=False, label="Due date")
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.none(), required=False, empty_label="Choose a stage…"
    )

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.production = production
        # The production's own crew, as on the filter.
        self.fields["assignee"].queryset = CrewMember.objects.filter(
            assignments__production=production
        ).distinct()
        self.fields["stage"].queryset = production.stages.all()

    # The one value each change needs; the others are ignored (and so are
    # their errors: a hidden field cannot hold up the change).
    NEEDS = {Action.ASSIGN: "assignee", Action.DUE: "due_date", Action.MOVE: "stage"}

    def clean(self):
        cleaned = super().clean()
        needed = self.NEEDS.get(cleaned.get("action"))
        for name in self.NEEDS.values():
            if name != needed:
                self.errors.pop(name, None)
                cleaned[name] = None
        pks, bad = [], False
        for value in self.data.getlist("items") if hasattr(self.data, "getlist") else []:
            if value.isascii() and value.isdigit() and 0 < int(value) < 2**31:
                pks.append(int(value))
            else:
                bad = True
        # Kept even when refused, so the page without JavaScript keeps the selection.
        cleaned["items"] = pks
        if bad:
            raise forms.ValidationError("The selection holds an unknown item.")
        if not pks and not cleaned.get("all_matching"):
            raise forms.ValidationError(
                "Select some items first (or tick “All … items”).", code="empty"
            )
        if needed == "stage" and not cleaned.get("stage") and "stage" not in self.errors:
            self.add_error("stage", "Choose the stage to move the items to.")
        return cleaned
