"""Paste-to-add (issue 6, capability 6): several lines pasted into the add box
make one item per non-empty line, in one transaction, one activity entry each."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from productions import services
from productions.models import Activity, ChecklistItem
from productions.services.counters import recount_production, wrong_counters
from tests.conftest import HTMX, client_for
from tests.factories import ChecklistItemFactory, StageFactory


@pytest.fixture
def stage(production):
    stage = StageFactory(production=production, name="Shoot")
    ChecklistItemFactory(stage=stage, position=4, done=True, done_at=timezone.now())
    # The factory row did not go through the services: count it once.
    recount_production(production.pk)
    stage.refresh_from_db()
    return stage


def url(stage):
    return f"/stages/{stage.pk}/items/"


PASTED = "Book the van\r\n\n   Hire lights  \n\t\nPrint call sheets\n"
TITLES = ["Book the van", "Hire lights", "Print call sheets"]


def test_three_lines_make_three_items_at_the_end(logged_in, stage):
    response = logged_in.post(url(stage), {"title": PASTED})

    assert response.status_code == 302
    items = list(stage.items.filter(done=False).order_by("position"))
    assert [item.title for item in items] == TITLES
    assert [item.position for item in items] == [5, 6, 7]


def test_each_item_gets_its_activity_entry(logged_in, stage):
    logged_in.post(url(stage), {"title": PASTED})

    entries = Activity.objects.filter(kind=Activity.Kind.ITEM_ADDED, stage=stage)
    assert sorted(entries.values_list("subject", flat=True)) == sorted(TITLES)
    assert {entry.item.title for entry in entries} == set(TITLES)
    assert {entry.actor_name for entry in entries} == {"coordinator"}


def test_the_counters_stay_right(logged_in, stage, production):
    logged_in.post(url(stage), {"title": PASTED})

    assert wrong_counters() == []
    stage.refresh_from_db()
    production.refresh_from_db()
    assert (stage.item_count, stage.done_count) == (4, 1)
    assert (production.item_count, production.done_count) == (4, 1)


def test_htmx_gets_a_fresh_form_the_new_rows_and_the_progress(logged_in, stage):
    response = logged_in.post(url(stage), {"title": PASTED}, **HTMX)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<form id="stage-{stage.pk}-add-item"')
    assert page.count(f'hx-swap-oob="beforeend:#stage-{stage.pk}-items"') == 1
    for item in stage.items.filter(title__in=TITLES):
        assert f'<li id="item-{item.pk}"' in page
    assert "1 of 4 done" in page
    assert "1 of 4 items done (25%)" in page
    trigger = json.loads(response.headers["HX-Trigger"])
    assert trigger["announce"] == "Added 3 items — Shoot 1 of 4 done"


def test_one_line_still_adds_one_item(logged_in, stage):
    logged_in.post(url(stage), {"title": "\n  Book the van \n\n"})

    assert list(stage.items.filter(done=False).values_list("title", flat=True)) == ["Book the van"]


def test_two_hundred_lines_are_fine(logged_in, stage):
    lines = "\n".join(f"Line {n}" for n in range(200))

    response = logged_in.post(url(stage), {"title": lines})

    assert response.status_code == 302
    assert stage.items.count() == 201
    assert wrong_counters() == []


def test_201_lines_are_refused_next_to_the_field(logged_in, stage):
    lines = "\n".join(f"Line {n}" for n in range(201))

    response = logged_in.post(url(stage), {"title": lines}, **HTMX)

    assert response.status_code == 422
    assert (
        f'id="stage-{stage.pk}-new-title-error">Paste at most 200 lines at a time (this has 201).'
        in response.content.decode()
    )
    assert stage.items.count() == 1
    assert not Activity.objects.filter(kind=Activity.Kind.ITEM_ADDED).exists()


def test_an_overlong_line_is_named(logged_in, stage):
    response = logged_in.post(url(stage), {"title": f"Book the van\n{'x' * 301}"})

    assert response.status_code == 422
    assert (
        "Line 2: ensure this value has at most 300 characters (it has 301)."
        in response.content.decode()
    )
    assert stage.items.count() == 1


def test_blank_lines_only_are_required(logged_in, stage):
    response = logged_in.post(url(stage), {"title": "\n \n\t\n"}, **HTMX)

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_the_box_is_a_growing_textarea_with_a_preview(logged_in, stage, production):
    page = logged_in.get(f"/productions/{production.slug}/").content.decode()

    assert f'<textarea name="title" id="stage-{stage.pk}-new-title" rows="1"' in page
    assert f'id="stage-{stage.pk}-new-title-preview"' in page
    assert "data-paste-preview" in page


def test_a_viewer_may_not_paste(stage, viewer):
    response = client_for(viewer).post(url(stage), {"title": PASTED})

    assert response.status_code == 403
    assert stage.items.count() == 1


def test_an_outsider_gets_404(stage, outsider):
    assert client_for(outsider).post(url(stage), {"title": PASTED}).status_code == 404
    assert stage.items.count() == 1


def test_the_same_queries_for_3_and_30_lines(logged_in, stage):
    def queries(lines):
        with CaptureQueriesContext(connection) as ctx:
            logged_in.post(url(stage), {"title": "\n".join(f"Row {n}" for n in range(lines))})
        return len(ctx.captured_queries)

    assert queries(3) == queries(30)


def test_add_items_is_all_or_nothing(stage, user, monkeypatch):
    from productions.services import checklist

    def fail(*args, **kwargs):
        raise RuntimeError("log failed")

    monkeypatch.setattr(checklist, "log_many", fail)
    with pytest.raises(RuntimeError):
        services.add_items(stage, by=user, titles=TITLES)

    assert not ChecklistItem.objects.filter(title__in=TITLES).exists()
    assert wrong_counters() == []
