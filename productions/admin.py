from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from .models import (
    Assignment,
    ChecklistItem,
    ChecklistItemTemplate,
    CrewMember,
    CrewRole,
    Production,
    Stage,
    StageTemplate,
)


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


class SafeAutocomplete:
    """Admin mixin: autocomplete fields use SafeAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CrewRole)
class CrewRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "description"]
    list_filter = ["department"]
    search_fields = ["name", "description"]
    ordering = ["department", "name"]


@admin.register(CrewMember)
class CrewMemberAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["name", "default_role", "email", "phone", "user"]
    list_filter = ["default_role__department", "default_role"]
    list_select_related = ["default_role", "user"]
    search_fields = ["name", "email", "phone"]
    autocomplete_fields = ["default_role", "user"]


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
class ProductionAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["title", "kind", "artist", "venue", "start_date", "end_date", "status"]
    list_filter = ["kind", "status", "start_date"]
    search_fields = ["title", "artist", "venue", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    autocomplete_fields = ["created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [StageInline, AssignmentInline]


class ChecklistItemInline(SafeAutocomplete, admin.TabularInline):
    model = ChecklistItem
    fields = ["position", "title", "assignee", "due_date", "done", "done_at"]
    extra = 0
    autocomplete_fields = ["assignee"]


@admin.register(Stage)
class StageAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["name", "production", "phase", "position", "status", "due_date"]
    list_filter = ["phase", "status", "production__kind"]
    list_select_related = ["production"]
    search_fields = ["name", "production__title"]
    autocomplete_fields = ["production"]
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SafeAutocomplete, admin.ModelAdmin):
    list_display = ["title", "stage", "production", "assignee", "due_date", "done", "done_at"]
    list_filter = ["done", "stage__phase", "stage__production__kind"]
    list_select_related = ["stage__production", "assignee"]
    search_fields = ["title", "notes", "stage__name", "stage__production__title"]
    autocomplete_fields = ["stage", "assignee", "done_by"]

    @admin.display(ordering="stage__production__title")
    def production(self, item):
        return item.stage.production


@admin.register(Assignment)
class AssignmentAdmin(SafeAutocomplete, admin.ModelAdmin):
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
class StageTemplateAdmin(admin.ModelAdmin):
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
