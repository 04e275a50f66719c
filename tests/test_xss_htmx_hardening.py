"""htmx hardened as its documentation advises (issue 14): no eval, requests to
this site only, no scripts run from swapped-in content, no inline indicator
styles; and no element inherits the CSRF token from an `hx-headers`, so markup
that got into a page would not post with it. htmx's writes carry the token in
their own form, as the forms do without JavaScript."""

import json

import pytest
import tinyhtml5
from django.urls import reverse

from productions import services
from tests.conftest import HTMX, client_for
from tests.factories import (
    ChecklistItemFactory,
    CrewMemberFactory,
    CrewRoleFactory,
    StageFactory,
)

WRITES = ("hx-post", "hx-put", "hx-patch", "hx-delete")


def parse(html):
    return tinyhtml5.parse(html, namespace_html_elements=False)


def htmx_config(html):
    meta = parse(html).find(".//meta[@name='htmx-config']")
    return json.loads(meta.get("content"))


def test_htmx_is_configured_as_its_security_advice_says(logged_in):
    config = htmx_config(logged_in.get(reverse("production_list")).content.decode())

    assert config["allowEval"] is False
    assert config["selfRequestsOnly"] is True
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False
    # Settling copies no style attribute (a CSP violation): see
    # tests/browser/test_csp_violations.py.
    assert "style" not in config["attributesToSettle"]


@pytest.fixture
def pages(manager, production):
    """A production with a stage, an item, a comment and crew, and the manager's
    pages and fragments that write with htmx."""
    stage = StageFactory(production=production, name="Wardrobe")
    item = ChecklistItemFactory(stage=stage, title="Fit the jackets")
    services.add_comment(item, by=manager, body="Red ones")
    crew = CrewMemberFactory(name="Lia Chen", default_role=CrewRoleFactory())
    services.add_assignment(production, by=manager, crew_member=crew, role=crew.default_role)
    slug = production.slug
    return [
        (reverse("production_detail", args=[slug]), {}),
        (reverse("production_board", args=[slug]), {}),
        (reverse("production_members", args=[slug]), {}),
        (reverse("production_members", args=[slug]), HTMX),
        (reverse("production_edit", args=[slug]), {}),
        (reverse("production_clone", args=[slug]), {}),
        (reverse("production_save_template", args=[slug]), {}),
        (reverse("production_calendar", args=[slug]), {}),
        (reverse("production_trash", args=[slug]), {}),
        (reverse("item_comments", args=[item.pk]), {}),
        (reverse("item_comments", args=[item.pk]), HTMX),
        (reverse("item_edit", args=[item.pk]), HTMX),
        (reverse("item_delete", args=[item.pk]), HTMX),
        (reverse("stage_edit", args=[stage.pk]), HTMX),
        (reverse("item_detail", args=[item.pk]), HTMX),
        (reverse("my_work"), {}),
        (reverse("production_create"), {}),
    ]


def related_form(element, forms_by_id, parents):
    """The form htmx takes a write's values from: its `form` attribute's, or
    the element itself, or the closest form around it."""
    if element.get("form"):
        return forms_by_id.get(element.get("form"))
    while element is not None and element.tag != "form":
        element = parents.get(element)
    return element


def carries_the_token(element, tree, forms_by_id, parents):
    """Whether htmx sends a CSRF token with the element's write: from its
    related form, or from what its hx-include names (an id)."""
    sources = [related_form(element, forms_by_id, parents)]
    include = element.get("hx-include", "")
    if include.startswith("#"):
        sources.append(tree.find(f".//*[@id='{include[1:]}']"))
    for source in filter(lambda found: found is not None, sources):
        if source.get("name") == "csrfmiddlewaretoken" and source.get("value"):
            return True
        token = source.find(".//input[@name='csrfmiddlewaretoken']")
        if token is not None and token.get("value"):
            return True
    return False


def test_no_element_inherits_the_csrf_token_and_every_htmx_write_carries_its_own(manager, pages):
    client = client_for(manager)
    checked, forms_by_id = 0, {}
    for url, headers in pages:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        tree = parse(response.content.decode())
        parents = {child: parent for parent in tree.iter() for child in parent}
        # A fragment's buttons may name a form of the page it is swapped
        # into (form="row-actions"): the pages come first, their forms kept.
        forms_by_id.update((form.get("id"), form) for form in tree.iter("form") if form.get("id"))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            assert "X-CSRFToken" not in element.get("hx-headers", ""), (url, element.attrib)
            if not any(element.get(verb) for verb in WRITES):
                continue
            assert carries_the_token(element, tree, forms_by_id, parents), (url, element.attrib)
            checked += 1
    assert checked > 10  # the pages do write with htmx


def test_the_apps_scripts_read_the_token_from_its_meta_tag(logged_in):
    tree = parse(logged_in.get(reverse("production_list")).content.decode())

    assert tree.find(".//body").get("hx-headers") is None
    assert tree.find(".//meta[@name='csrf-token']").get("content")
