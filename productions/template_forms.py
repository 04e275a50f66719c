"""Forms for cloning a production, saving it as a template, and starting a new
production from a template (kept apart from forms.py, which is long enough)."""

from django import forms
from django.template.defaultfilters import pluralize
from django.utils.html import format_html

from .forms import ProductionForm
from .models.templates import MAX_OFFSET_DAYS
from .services.templates import NAME_TAKEN, name_taken
from .textclean import CleanCharField, visible

TITLE_MAX = 200


def copy_title(title):
    """ "<title> (copy)", cut so that it still fits a title."""
    suffix = " (copy)"
    return title[: TITLE_MAX - len(suffix)] + suffix


class CloneForm(forms.Form):
    title = CleanCharField(max_length=TITLE_MAX, label="Title of the copy")
    offset_days = forms.IntegerField(
        label="Shift dates by (days)",
        required=False,
        min_value=-MAX_OFFSET_DAYS,
        max_value=MAX_OFFSET_DAYS,
        help_text=(
            "Every date of the copy (production, stages, items) moves by this many days: "
            "7 is a week later, -7 a week earlier, 0 or empty keeps them."
        ),
    )

    def __init__(self, *args, source, **kwargs):
        kwargs.setdefault("initial", {"title": copy_title(source.title), "offset_days": 0})
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autofocus"] = True
        if source.start_date:
            # Help texts are HTML to Django and crispy-forms (printed unescaped):
            # the title is user text, escaped here (issue 14).
            field = self.fields["offset_days"]
            start = f"{source.start_date:%d %b %Y}"
            field.help_text = format_html(
                "{} {} starts on {}.", field.help_text, source.title, start
            )

    def clean_title(self):
        title = self.cleaned_data["title"]
        if not visible(title):
            raise forms.ValidationError("The copy needs a title.")
        return title

    def clean_offset_days(self):
        return self.cleaned_data["offset_days"] or 0


class SaveTemplateForm(forms.Form):
    name = CleanCharField(max_length=200, label="Template name")
    description = CleanCharField(
        multiline=True,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the template is for, for whoever starts a production from it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not visible(name):
            raise forms.ValidationError("A template needs a name.")
        if name_taken(name):
            raise forms.ValidationError(NAME_TAKEN)
        return name


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        stages = f"{obj.stage_count} stage{pluralize(obj.stage_count)}"
        items = f"{obj.item_count} item{pluralize(obj.item_count)}"
        return f"{obj.name} ({obj.get_kind_display()}: {stages}, {items})"


class NewProductionForm(ProductionForm):
    """The new-production form, with where its stages come from."""

    template = TemplateChoiceField(
        queryset=None,
        required=False,
        label="Start from",
        empty_label="The usual stages for its kind",
        help_text=(
            "Or a saved template's stages and items, their dates counted from the start date."
        ),
    )

    field_order = ["title", "kind", "template"]

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        # The list shows names and counts: the stages are read once one is chosen.
        self.fields["template"].queryset = templates.for_list()
