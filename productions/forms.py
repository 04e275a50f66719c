from django import forms

from .models import Assignment, ChecklistItem, CrewMember, CrewRole, Production, Stage


class DateInput(forms.DateInput):
    input_type = "date"


class ProductionForm(forms.ModelForm):
    class Meta:
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
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

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
    status = forms.ChoiceField(choices=Stage.Status.choices)


class AddItemForm(forms.Form):
    title = forms.CharField(max_length=300, strip=True)


class CrewMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.default_role})" if obj.default_role else obj.name


class ItemForm(forms.ModelForm):
    assignee = CrewMemberChoiceField(
        queryset=CrewMember.objects.select_related("default_role"), required=False
    )

    class Meta:
        model = ChecklistItem
        fields = ["title", "assignee", "due_date", "notes"]
        widgets = {"due_date": DateInput, "notes": forms.Textarea(attrs={"rows": 2})}


class AssignmentForm(forms.ModelForm):
    crew_member = CrewMemberChoiceField(queryset=CrewMember.objects.select_related("default_role"))
    role = forms.ModelChoiceField(
        queryset=CrewRole.objects.all(),
        required=False,
        empty_label="Their usual role",
    )

    class Meta:
        model = Assignment
        fields = ["crew_member", "role"]

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.production = production

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
