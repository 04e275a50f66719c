from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models

from . import services
from .models import (
    Activity,
    Assignment,
    ChecklistItem,
    ChecklistItemTemplate,
    ChecklistTemplate,
    CrewMember,
    CrewRole,
    Membership,
    Production,
    Stage,
    StageTemplate,
)
from .textclean import CleanCharField


class SafeAutocompleteSelect(AutocompleteSelect):
    """Drops a posted id that is not one ("abc", "1.5") before the widget looks it up.

    Django's widget filters the related table by the posted value to show the
    current choice, which raises on a value of the wrong type: a 500 instead
    of the form's "Select a valid choice" error.
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        valid = []
        for item in value:
            try:
                target.run_validators(target.to_python(item))
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


# Longer admin searches are cut here: nobody searches with more, and SQLite
# refuses a LIKE pattern past 50,000 bytes (a 500, found by the fuzzer).
MAX_SEARCH = 200


class BoundedSearch:
    """Admin mixin: the search term (changelist and autocomplete) is cut to MAX_SEARCH."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term[:MAX_SEARCH])


class SafeAutocomplete(BoundedSearch):
    """Admin mixin: autocomplete fields use SafeAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LoggedAdmin(SafeAutocomplete, admin.ModelAdmin):
    """Admin writes go through the services' admin functions: every save and
    delete bumps the version open edit forms carry and is logged in the
    production's activity, like the app's own writes. Text fields drop
    control and bidi characters, as in the app's forms."""

    formfield_overrides = {
        models.EmailField: {"form_class": forms.EmailField},
        models.SlugField: {"form_class": forms.SlugField},
        models.CharField: {"form_class": CleanCharField},
        models.TextField: {"form_class": CleanCharField, "multiline": True},
    }

    def save_model(self, request, obj, form, change):
        services.save_from_admin(
            obj, by=request.user, changed_fields=form.changed_data, created=not change
        )

    def delete_model(self, request, obj):
        services.delete_from_admin(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_from_admin(obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_from_admin(obj, by=request.user)
        for obj in instances:
            services.save_from_admin(
                obj, by=request.user, changed_fields=[], created=obj._state.adding
            )
        formset.save_m2m()


class ProductionAdminForm(forms.ModelForm):
    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in services.RESERVED_SLUGS:
            raise ValidationError(f"“{slug}” is reserved for a page of the app: choose another.")
        return slug


@admin.register(CrewRole)
class CrewRoleAdmin(BoundedSearch, admin.ModelAdmin):
    list_display = ["name", "department", "description"]
    list_filter = ["department"]
    search_fields = ["name", "description"]
    ordering = ["department", "name"]


@admin.register(CrewMember)
class CrewMemberAdmin(LoggedAdmin):
    list_display = ["name", "default_role", "email", "phone", "user"]
    list_filter = ["default_role__department", "default_role"]
    list_select_related = ["default_role", "user"]
    search_fields = ["name", "email", "phone"]
    autocomplete_fields = ["default_role", "user"]


class MembershipInline(SafeAutocomplete, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class StageInline(admin.TabularInline):
    model = Stage
    fields = ["position", "name", "phase", "status", "due_date"]
    extra = 0
    show_change_link = True


class AssignmentInline(SafeAutocomplete, admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["crew_member", "role"]


@admin.register(Production)
class ProductionAdmin(LoggedAdmin):
    form = ProductionAdminForm
    list_display = ["title", "kind", "artist", "venue", "start_date", "end_date", "status"]
    list_filter = ["kind", "status", "start_date"]
    search_fields = ["title", "artist", "venue", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    autocomplete_fields = ["created_by"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "version",
        "deleted_at",
        "item_count",
        "done_count",
        "live_version",
    ]
    exclude = ["updated_by", "deleted_by"]
    inlines = [StageInline, AssignmentInline, MembershipInline]


class ChecklistItemInline(SafeAutocomplete, admin.TabularInline):
    model = ChecklistItem
    fields = ["position", "title", "assignee", "due_date", "done", "done_at"]
    extra = 0
    autocomplete_fields = ["assignee"]


@admin.register(Stage)
class StageAdmin(LoggedAdmin):
    list_display = ["name", "production", "phase", "position", "status", "due_date"]
    list_filter = ["phase", "status", "production__kind"]
    list_select_related = ["production"]
    search_fields = ["name", "production__title"]
    autocomplete_fields = ["production", "status_set_by"]
    readonly_fields = ["version", "updated_at", "deleted_at", "item_count", "done_count"]
    exclude = ["updated_by", "deleted_by"]
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(LoggedAdmin):
    list_display = [
        "title",
        "stage",
        "production",
        "assignee",
        "due_date",
        "location",
        "done",
        "done_at",
    ]
    list_filter = ["done", "stage__phase", "stage__production__kind"]
    list_select_related = ["stage__production", "assignee"]
    search_fields = ["title", "notes", "location", "stage__name", "stage__production__title"]
    autocomplete_fields = ["stage", "assignee", "done_by"]
    readonly_fields = ["version", "updated_at", "deleted_at"]
    exclude = ["updated_by", "deleted_by"]

    @admin.display(ordering="stage__production__title")
    def production(self, item):
        return item.stage.production


@admin.register(Assignment)
class AssignmentAdmin(LoggedAdmin):
    list_display = ["crew_member", "role", "production"]
    list_filter = ["role__department", "role"]
    list_select_related = ["crew_member", "role", "production"]
    search_fields = ["crew_member__name", "role__name", "production__title"]
    autocomplete_fields = ["production", "crew_member", "role"]


class ChecklistItemTemplateInline(admin.TabularInline):
    model = ChecklistItemTemplate
    fields = ["position", "title"]
    extra = 1


@admin.register(StageTemplate)
class StageTemplateAdmin(BoundedSearch, admin.ModelAdmin):
    list_display = ["name", "kind", "phase", "position"]
    list_filter = ["kind", "phase"]
    search_fields = ["name"]
    ordering = ["kind", "position"]
    inlines = [ChecklistItemTemplateInline]


@admin.register(ChecklistItemTemplate)
class ChecklistItemTemplateAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["title", "stage_template", "position"]
    list_filter = ["stage_template__kind"]
    list_select_related = ["stage_template"]
    search_fields = ["title", "stage_template__name"]
    autocomplete_fields = ["stage_template"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(LoggedAdmin):
    """Saved templates: staff may rename, describe or delete them, and edit the
    stages as JSON (checked against the shape the app writes)."""

    list_display = ["name", "kind", "stage_count", "item_count", "created_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["created_by"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["created_by"]
    readonly_fields = ["stage_count", "item_count", "created_at"]


@admin.register(Membership)
class MembershipAdmin(LoggedAdmin):
    list_display = ["user", "production", "level", "added_at"]
    list_filter = ["level"]
    list_select_related = ["user", "production"]
    search_fields = ["user__username", "user__email", "production__title"]
    autocomplete_fields = ["production", "user"]


@admin.register(Activity)
class ActivityAdmin(BoundedSearch, admin.ModelAdmin):
    """The log is written by the app; the admin only reads it."""

    list_display = ["created_at", "production", "actor_name", "kind", "subject"]
    list_filter = ["kind"]
    list_select_related = ["production"]
    search_fields = ["subject", "actor_name", "production__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
