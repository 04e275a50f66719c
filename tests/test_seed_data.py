import pytest

from productions.models import CrewRole, Production, StageTemplate

pytestmark = pytest.mark.django_db

ROLES = {
    "Director": "direction",
    "Producer": "production",
    "Artist": "talent",
    "Choreographer": "choreography",
    "Cinematographer": "camera",
    "Location scout": "logistics",
    "Set designer": "art",
    "Costume designer": "wardrobe",
    "Makeup artist": "hair_makeup",
    "Sound engineer": "sound",
    "Lighting designer": "lighting",
    "Stage manager": "production",
    "Editor": "post_production",
    "Technician": "logistics",
    "Production coordinator": "production",
}


def stage_names(kind):
    return list(StageTemplate.objects.filter(kind=kind).values_list("name", flat=True))


def test_it_seeds_the_crew_roles_with_their_departments():
    seeded = dict(CrewRole.objects.values_list("name", "department"))

    assert seeded == ROLES


def test_it_seeds_a_description_for_every_role():
    assert not CrewRole.objects.filter(description="").exists()


@pytest.mark.parametrize("kind", Production.Kind.values)
def test_it_seeds_stages_with_checklists_for_every_kind(kind):
    templates = StageTemplate.objects.filter(kind=kind).prefetch_related("items")

    assert templates
    assert all(template.items.all() for template in templates)


def test_it_seeds_the_music_video_stages_in_order():
    assert stage_names(Production.Kind.MUSIC_VIDEO) == [
        "Concept & treatment",
        "Location scouting",
        "Casting & wardrobe selection",
        "Choreography rehearsals",
        "Filming",
        "Post-production editing",
    ]


def test_it_seeds_the_concert_stages_in_order():
    assert stage_names(Production.Kind.CONCERT) == [
        "Stage design",
        "Logistics planning",
        "Technical setup",
        "Costume fittings",
        "Rehearsals",
        "Soundcheck",
    ]


def test_it_numbers_template_items_from_one_in_order():
    filming = StageTemplate.objects.get(kind=Production.Kind.MUSIC_VIDEO, name="Filming")

    assert list(filming.items.values_list("position", "title")) == [
        (1, "Send call sheet"),
        (2, "Camera, lighting and grip kit checked"),
        (3, "Playback track ready"),
        (4, "Shoot all setups on the shot list"),
        (5, "Back up footage on set"),
    ]
