from django.urls import path

from . import views

urlpatterns = [
    path("", views.production_list, name="production_list"),
    path("productions/new/", views.production_create, name="production_create"),
    path("productions/<slug:slug>/", views.production_detail, name="production_detail"),
    path("productions/<slug:slug>/edit/", views.production_edit, name="production_edit"),
    path(
        "productions/<slug:slug>/export.csv",
        views.production_export_csv,
        name="production_export_csv",
    ),
    path("productions/<slug:slug>/crew/", views.assignment_add, name="assignment_add"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("stages/<int:stage_pk>/status/", views.stage_status, name="stage_status"),
    path("stages/<int:stage_pk>/items/", views.item_add, name="item_add"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/toggle/", views.item_toggle, name="item_toggle"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
]
