"""Shared by the stage-shaping tests (services and pages): three stages and
how to read their order."""

from tests.factories import StageFactory


def make_stages(production):
    return [
        StageFactory(production=production, name=name, position=n)
        for n, name in enumerate(["Casting", "Scouting", "Wardrobe"], start=1)
    ]


def order(production):
    return list(production.stages.order_by("position", "pk").values_list("name", flat=True))
