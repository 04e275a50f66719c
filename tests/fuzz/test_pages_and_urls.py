"""Hostile input to every GET page and to the paths themselves
(tests/fuzzing.py says what is sent and what must hold): the query parameters
each page reads, other productions' ids, huge and odd ids and slugs in every
path, and the admin's search and filters, as staff.
"""

import string

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from productions.models import Activity
from tests.conftest import client_for
from tests.fuzzing import (
    Kind,
    all_ids,
    form_data,
    fuzz_settings,
    post_checked,
    send,
)
from tests.urlcases import snapshot

pytestmark = pytest.mark.django_db


# GET pages and their query parameters

QUERIES = {
    "production_list": (lambda w: reverse("production_list"), ["q", "kind", "status", "page"]),
    "deleted_productions": (lambda w: reverse("deleted_productions"), ["page"]),
    "production_detail": (
        lambda w: reverse("production_detail", args=[w.production.slug]),
        ["person", "kind", "feed_page"],
    ),
    "production_activity": (
        lambda w: reverse("production_activity", args=[w.production.slug]),
        ["person", "kind", "feed_page"],
    ),
    "production_trash": (
        lambda w: reverse("production_trash", args=[w.production.slug]),
        ["page"],
    ),
    "production_members": (
        lambda w: reverse("production_members", args=[w.production.slug]),
        ["page"],
    ),
    "production_export_csv": (
        lambda w: reverse("production_export_csv", args=[w.production.slug]),
        ["format"],
    ),
    "production_edit": (
        lambda w: reverse("production_edit", args=[w.production.slug]),
        ["version"],
    ),
    "item_detail": (lambda w: reverse("item_detail", args=[w.item.pk]), ["edit"]),
    "item_edit": (lambda w: reverse("item_edit", args=[w.item.pk]), ["version"]),
    "item_comments": (lambda w: reverse("item_comments", args=[w.item.pk]), ["page"]),
    "item_deleted": (lambda w: reverse("item_deleted", args=[w.deleted_item.pk]), ["x"]),
    "item_delete": (lambda w: reverse("item_delete", args=[w.item.pk]), ["x"]),
    "stage_delete": (lambda w: reverse("stage_delete", args=[w.stage.pk]), ["x"]),
    "trash_empty": (lambda w: reverse("trash_empty", args=[w.production.slug]), ["x"]),
    "member_remove": (lambda w: reverse("member_remove", args=[w.target.pk]), ["x"]),
    "production_create": (lambda w: reverse("production_create"), ["kind", "template"]),
    "template_list": (lambda w: reverse("template_list"), ["page"]),
    "production_clone": (
        lambda w: reverse("production_clone", args=[w.production.slug]),
        ["title", "offset_days"],
    ),
    "production_deleted": (
        lambda w: reverse("production_deleted", args=[w.deleted_production.pk]),
        ["x"],
    ),
    "stage_deleted": (lambda w: reverse("stage_deleted", args=[w.deleted_stage.pk]), ["x"]),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_pages_take_any_query(name, world, foreign, clients):
    url_for, fields = QUERIES[name]
    url = url_for(world)
    ids = all_ids(world, foreign)
    # Enough activity for a second page of the feed.
    for n in range(25):
        Activity.objects.create(
            production=world.production, kind=Kind.COMMENTED, subject=f"Filler {n}"
        )

    before = snapshot()

    @fuzz_settings(44)
    @given(data=form_data(fields, ids))
    def run(data):
        for client in clients.values():
            for htmx in (False, True):
                send(client, "GET", url, data, htmx=htmx)
            send(client, "GET", url, data, htmx=True, restore=True)

    run()
    # Reading changes nothing.
    assert snapshot() == before


PATH_TEMPLATES = [
    "/productions/{slug}/",
    "/productions/{slug}/edit/",
    "/productions/{slug}/activity/",
    "/productions/{slug}/export.csv",
    "/productions/{slug}/members/",
    "/productions/{slug}/trash/",
    "/items/{pk}/",
    "/items/{pk}/edit/",
    "/items/{pk}/comments/",
    "/items/{pk}/deleted/",
    "/items/{pk}/toggle/",
    "/items/{pk}/restore/",
    "/stages/{pk}/status/",
    "/stages/{pk}/items/",
    "/stages/{pk}/restore/",
    "/stages/{pk}/deleted/",
    "/productions/deleted/{pk}/",
    "/members/{pk}/level/",
    "/members/{pk}/resend/",
    "/assignments/{pk}/remove/",
    "/productions/deleted/{pk}/restore/",
    "/productions/{slug}/clone/",
    "/productions/{slug}/save-template/",
]


def test_urls_take_any_id(world, foreign, clients):
    """Ids of other productions' objects, huge and odd ones, and odd slugs in
    the path: a 404 or another refusal, never a 500 or a change."""
    ids = all_ids(world, foreign)
    slugs = st.one_of(
        st.sampled_from(["secret-tour", "old-show", "new", "deleted", "a" * 300, "-", "_"]),
        st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=30),
    )
    pks = st.one_of(
        st.sampled_from(ids),
        st.integers(min_value=0, max_value=2**80),
        st.sampled_from([0, 2**31, 2**63 - 1, 2**63, 2**64]),
    )

    def foreign_state():
        return [
            type(obj)._base_manager.filter(pk=obj.pk).values().first() for obj in foreign.values()
        ]

    before = foreign_state()

    @fuzz_settings(220)
    @given(
        template=st.sampled_from(PATH_TEMPLATES),
        slug=slugs,
        pk=pks,
        data=form_data(["done", "level", "status", "title", "body"], ids),
    )
    def run(template, slug, pk, data):
        url = template.format(slug=slug, pk=pk)
        for client in clients.values():
            send(client, "GET", url, data, htmx=True)
            response = post_checked(client, url, data, htmx=False, urlencoded=False)
            if slug == "secret-tour" and "{slug}" in template:
                assert response.status_code in (400, 404, 405), url

    run()
    # Whatever their ids: the foreign production's things are as they were.
    assert foreign_state() == before


def test_the_admin_search_takes_any_input(world, foreign, cast):
    """Staff searching and filtering the admin's lists."""
    client = client_for(cast["staff"])
    ids = all_ids(world, foreign)
    lists = [
        reverse(f"admin:productions_{name}_changelist")
        for name in ("production", "stage", "checklistitem", "crewmember", "assignment")
    ]

    @fuzz_settings(150)
    @given(
        url=st.sampled_from(lists),
        data=form_data(["q", "o", "p", "kind__exact", "done__exact", "start_date__gte"], ids),
    )
    def run(url, data):
        send(client, "GET", url, data)

    run()
