import pytest

from productions.models import Production
from tests.conftest import HTMX
from tests.factories import ChecklistItemFactory, ProductionFactory, StageFactory

URL = "/productions/"


def test_it_lists_productions_with_their_progress(logged_in):
    production = ProductionFactory(title="Neon Nights", artist="Luna", venue="Warehouse 9")
    stage = StageFactory(production=production)
    ChecklistItemFactory(stage=stage, done=True, done_at="2026-01-01T10:00Z")
    ChecklistItemFactory(stage=stage)

    response = logged_in.get(URL)

    assert response.status_code == 200
    assert b"<html" in response.content
    html = response.content.decode()
    assert f'id="production-{production.pk}"' in html
    assert "Neon Nights" in html
    assert "Luna" in html
    assert "Warehouse 9" in html
    assert "1 of 2 done" in html


def test_it_says_when_nothing_matches(logged_in):
    response = logged_in.get(URL, {"q": "nothing like this"})

    assert b"No productions match." in response.content


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Neon Nights"), ("artist", "Luna Park"), ("venue", "Neon Warehouse")],
)
def test_it_searches_title_artist_and_venue(logged_in, field, value):
    match = ProductionFactory(**{field: value})
    other = ProductionFactory(title="Something else")

    response = logged_in.get(URL, {"q": value.split()[1].lower()})

    html = response.content.decode()
    assert f'id="production-{match.pk}"' in html
    assert f'id="production-{other.pk}"' not in html


def test_it_filters_by_kind(logged_in):
    concert = ProductionFactory(kind=Production.Kind.CONCERT)
    video = ProductionFactory(kind=Production.Kind.MUSIC_VIDEO)

    response = logged_in.get(URL, {"kind": "concert"})

    html = response.content.decode()
    assert f'id="production-{concert.pk}"' in html
    assert f'id="production-{video.pk}"' not in html
    assert '<option value="concert" selected>' in html


def test_it_filters_by_status(logged_in):
    wrapped = ProductionFactory(status=Production.Status.WRAPPED)
    planning = ProductionFactory(status=Production.Status.PLANNING)

    response = logged_in.get(URL, {"status": "wrapped"})

    html = response.content.decode()
    assert f'id="production-{wrapped.pk}"' in html
    assert f'id="production-{planning.pk}"' not in html


def test_it_combines_search_and_filters(logged_in):
    match = ProductionFactory(title="Neon tour", kind="concert", status="wrapped")
    wrong_status = ProductionFactory(title="Neon tour 2", kind="concert")
    wrong_kind = ProductionFactory(title="Neon tour 3", status="wrapped")

    response = logged_in.get(URL, {"q": "neon", "kind": "concert", "status": "wrapped"})

    html = response.content.decode()
    assert f'id="production-{match.pk}"' in html
    assert f'id="production-{wrong_status.pk}"' not in html
    assert f'id="production-{wrong_kind.pk}"' not in html


def test_it_ignores_an_unknown_kind(logged_in):
    production = ProductionFactory()

    response = logged_in.get(URL, {"kind": "opera"})

    assert response.status_code == 200
    assert f'id="production-{production.pk}"' in response.content.decode()


def test_it_answers_htmx_with_the_results_fragment(logged_in):
    match = ProductionFactory(title="Neon Nights")
    other = ProductionFactory(title="Daylight")

    response = logged_in.get(URL, {"q": "neon"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="results">')
    assert f'id="production-{match.pk}"' in html
    assert f'id="production-{other.pk}"' not in html


def test_it_paginates(logged_in):
    productions = ProductionFactory.create_batch(26)

    first = logged_in.get(URL).content.decode()
    second = logged_in.get(URL, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert first.count('<tr id="production-') == 25
    assert f'id="production-{productions[0].pk}"' not in first  # newest first
    assert "Page 2 of 2" in second
    assert second.count('<tr id="production-') == 1
    assert f'id="production-{productions[0].pk}"' in second


def test_it_keeps_the_filters_in_page_links(logged_in):
    ProductionFactory.create_batch(26, kind="concert")

    response = logged_in.get(URL, {"kind": "concert"})

    assert b'href="?kind=concert&amp;page=2"' in response.content


def test_it_shows_the_last_page_for_a_page_out_of_range(logged_in):
    ProductionFactory.create_batch(26)

    response = logged_in.get(URL, {"page": 99})

    assert response.status_code == 200
    assert b"Page 2 of 2" in response.content


@pytest.mark.parametrize("count", [3, 30])
def test_it_makes_the_same_queries_however_many_productions(
    logged_in, django_assert_num_queries, count
):
    for production in ProductionFactory.create_batch(count):
        ChecklistItemFactory.create_batch(2, stage__production=production)

    # 1. session
    # 2. user
    # 3. paginator: count the matching productions the user belongs to
    # 4. one page of productions, with item counts annotated
    # 5. whether the user has deleted productions to restore (the link)
    with django_assert_num_queries(5):
        response = logged_in.get(URL)

    assert response.status_code == 200


def test_it_needs_a_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_it_refuses_post(logged_in):
    assert logged_in.post(URL).status_code == 405


def test_it_answers_a_history_restore_with_the_whole_page(logged_in):
    response = logged_in.get(
        "/productions/?q=neon", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in response.content


def test_it_varies_on_hx_request(logged_in):
    response = logged_in.get("/productions/", headers={"HX-Request": "true"})
    assert "HX-Request" in response["Vary"]


def test_it_keeps_the_search_when_another_filter_is_invalid(logged_in):
    ProductionFactory(title="Neon Nights")
    ProductionFactory(title="Echoes Live")
    response = logged_in.get("/productions/?q=neon&kind=bogus")
    assert b"Neon Nights" in response.content
    assert b"Echoes Live" not in response.content


def test_it_answers_head(logged_in):
    assert logged_in.head("/productions/").status_code == 200
