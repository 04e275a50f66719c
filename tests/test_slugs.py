import pytest

from productions.services import create_production


@pytest.mark.django_db
def test_it_never_gives_a_production_the_slug_of_the_new_production_page():
    production = create_production(by=None, title="New", kind="other")
    assert production.slug == "new-2"


@pytest.mark.django_db
def test_it_falls_back_when_the_title_has_no_latin_letters():
    production = create_production(by=None, title="★★★", kind="other")
    assert production.slug == "production"
