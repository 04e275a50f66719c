from django.urls import path

from . import views

urlpatterns = [
    path("", views.production_list, name="production_list"),
    path("productions/new/", views.production_create, name="production_create"),
    path("productions/deleted/", views.deleted_productions, name="deleted_productions"),
    path("productions/deleted/<int:pk>/", views.production_deleted, name="production_deleted"),
    path(
        "productions/deleted/<int:pk>/restore/",
        views.production_restore,
        name="production_restore",
    ),
    path("productions/<slug:slug>/", views.production_detail, name="production_detail"),
    path("productions/<slug:slug>/edit/", views.production_edit, name="production_edit"),
    path("productions/<slug:slug>/delete/", views.production_delete, name="production_delete"),
    path(
        "productions/<slug:slug>/activity/",
        views.production_activity,
        name="production_activity",
    ),
    path(
        "productions/<slug:slug>/export.csv",
        views.production_export_csv,
        name="production_export_csv",
    ),
    path("productions/<slug:slug>/trash/", views.production_trash, name="production_trash"),
    path("productions/<slug:slug>/trash/empty/", views.trash_empty, name="trash_empty"),
    path("productions/<slug:slug>/crew/", views.assignment_add, name="assignment_add"),
    path("productions/<slug:slug>/crew/new/", views.crew_member_add, name="crew_member_add"),
    path("productions/<slug:slug>/members/", views.production_members, name="production_members"),
    path("productions/<slug:slug>/members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/level/", views.member_level, name="member_level"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "members/<int:pk>/resend/",
        views.member_resend_invitation,
        name="member_resend_invitation",
    ),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("stages/<int:stage_pk>/status/", views.stage_status, name="stage_status"),
    path("stages/<int:stage_pk>/delete/", views.stage_delete, name="stage_delete"),
    path("stages/<int:stage_pk>/deleted/", views.stage_deleted, name="stage_deleted"),
    path("stages/<int:stage_pk>/restore/", views.stage_restore, name="stage_restore"),
    path("stages/<int:stage_pk>/items/", views.item_add, name="item_add"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/toggle/", views.item_toggle, name="item_toggle"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/deleted/", views.item_deleted, name="item_deleted"),
    path("items/<int:pk>/restore/", views.item_restore, name="item_restore"),
    path("items/<int:pk>/comments/", views.item_comments, name="item_comments"),
]
