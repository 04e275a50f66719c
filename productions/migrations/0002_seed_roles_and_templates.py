"""Seed crew roles and the default stages and checklists for every production kind.

The data lives here, frozen, so later changes to it come as new migrations and
staff edits in the admin are never overwritten.
"""

from django.db import migrations

ROLES = [
    ("Director", "direction", "Leads the creative vision and directs the shoot or show."),
    ("Producer", "production", "Owns budget, schedule and the team."),
    ("Production coordinator", "production", "Keeps schedules, call times and paperwork moving."),
    ("Artist", "talent", "The performer the production is built around."),
    ("Choreographer", "choreography", "Creates and rehearses the choreography."),
    ("Cinematographer", "camera", "Director of photography: camera and lighting look."),
    ("Location scout", "logistics", "Finds and secures locations and permits."),
    ("Set designer", "art", "Designs sets and stage dressing."),
    ("Costume designer", "wardrobe", "Designs, sources and fits wardrobe."),
    ("Makeup artist", "hair_makeup", "Hair and makeup looks, tests and touch-ups."),
    ("Sound engineer", "sound", "Recording, playback, monitors and front-of-house sound."),
    ("Lighting designer", "lighting", "Designs and programs the lighting."),
    ("Stage manager", "production", "Runs rehearsals and calls the show."),
    ("Editor", "post_production", "Cuts the picture and delivers the edit."),
    ("Technician", "logistics", "Rigging, power, backline and technical setup."),
]

PRE, PROD, POST = "pre_production", "production", "post_production"

# kind -> [(stage name, phase, [checklist items])]
TEMPLATES = {
    "music_video": [
        (
            "Concept & treatment",
            PRE,
            [
                "Write the treatment",
                "Build the moodboard",
                "Artist and label sign off the concept",
                "Agree budget and shoot dates",
            ],
        ),
        (
            "Location scouting",
            PRE,
            [
                "Shortlist locations",
                "Recce with director and DP",
                "Secure location permits",
                "Confirm power, parking and access",
            ],
        ),
        (
            "Casting & wardrobe selection",
            PRE,
            [
                "Cast dancers and extras",
                "Pull wardrobe options",
                "Wardrobe fitting with the artist",
                "Hair and makeup test",
            ],
        ),
        (
            "Choreography rehearsals",
            PRE,
            [
                "Book rehearsal studio",
                "Teach the routine",
                "Full run-through on camera",
            ],
        ),
        (
            "Filming",
            PROD,
            [
                "Send call sheet",
                "Camera, lighting and grip kit checked",
                "Playback track ready",
                "Shoot all setups on the shot list",
                "Back up footage on set",
            ],
        ),
        (
            "Post-production editing",
            POST,
            [
                "Assemble first cut",
                "Artist and label review",
                "Colour grade",
                "Final mix and master",
                "Deliver masters to the label",
            ],
        ),
    ],
    "concert": [
        (
            "Stage design",
            PRE,
            [
                "Stage plot and set drawings",
                "Lighting and video design",
                "Sign off the design with the artist",
            ],
        ),
        (
            "Logistics planning",
            PRE,
            [
                "Confirm venue contract",
                "Book trucking and crew travel",
                "Hotels and ground transport",
                "Load-in schedule",
                "Backstage passes and accreditation",
            ],
        ),
        (
            "Technical setup",
            PROD,
            [
                "Rigging and power",
                "PA and monitor system",
                "Lighting focus",
                "Video and screens",
                "Backline setup",
            ],
        ),
        (
            "Costume fittings",
            PRE,
            [
                "First fitting",
                "Alterations",
                "Quick-change plan",
                "Final fitting",
            ],
        ),
        (
            "Rehearsals",
            PRE,
            [
                "Band rehearsals",
                "Production rehearsal with lights",
                "Full dress run",
            ],
        ),
        (
            "Soundcheck",
            PROD,
            [
                "Line check",
                "Band soundcheck",
                "In-ear mixes set",
                "Doors time confirmed with venue",
            ],
        ),
    ],
    "film": [
        (
            "Script & breakdown",
            PRE,
            [
                "Lock the shooting script",
                "Script breakdown",
                "Shooting schedule",
                "Budget approved",
            ],
        ),
        (
            "Casting",
            PRE,
            ["Casting sessions", "Callbacks and chemistry reads", "Cast contracts signed"],
        ),
        (
            "Location scouting",
            PRE,
            ["Shortlist locations", "Tech recce", "Location agreements and permits"],
        ),
        (
            "Production design",
            PRE,
            ["Set designs approved", "Props list", "Set build and dressing"],
        ),
        ("Costume & makeup", PRE, ["Costume designs", "Fittings", "Hair and makeup tests"]),
        (
            "Principal photography",
            PROD,
            [
                "Daily call sheets",
                "Shoot per schedule",
                "Daily rushes backed up and reviewed",
            ],
        ),
        ("Editing", POST, ["Assembly cut", "Director's cut", "Picture lock"]),
        ("Sound & music", POST, ["Sound design", "Score and music licences", "Final mix"]),
        (
            "Colour & delivery",
            POST,
            ["Colour grade", "Subtitles and captions", "Deliverables sent"],
        ),
    ],
    "tv": [
        ("Development & script", PRE, ["Episode outline", "Script approved by the network"]),
        ("Casting", PRE, ["Casting sessions", "Guest cast confirmed"]),
        ("Set & production design", PRE, ["Set design approved", "Set build", "Graphics package"]),
        ("Rehearsals", PRE, ["Table read", "Camera blocking"]),
        ("Taping", PROD, ["Call sheet sent", "Studio or location taping", "Media backed up"]),
        ("Editing", POST, ["Rough cut", "Network notes addressed", "Picture lock"]),
        ("Delivery", POST, ["Sound mix", "Captions", "Deliver to broadcaster"]),
    ],
    "theatre": [
        ("Script & concept", PRE, ["Director's concept", "Script edits locked"]),
        ("Auditions & casting", PRE, ["Auditions", "Callbacks", "Cast confirmed"]),
        (
            "Set & costume design",
            PRE,
            ["Set model approved", "Costume designs approved", "Set build"],
        ),
        ("Costume fittings", PRE, ["First fittings", "Final fittings"]),
        ("Rehearsals", PRE, ["Blocking rehearsals", "Off-book run", "Full run-through"]),
        (
            "Technical rehearsals",
            PROD,
            ["Lighting plot focused", "Sound cues programmed", "Cue-to-cue"],
        ),
        ("Dress rehearsal", PROD, ["Full dress rehearsal", "Notes session"]),
        ("Opening night", PROD, ["Front of house briefed", "Show report filed"]),
    ],
    "photo_shoot": [
        ("Concept & moodboard", PRE, ["Creative brief", "Moodboard approved", "Shot list"]),
        ("Location & studio", PRE, ["Book studio or location", "Permits if outdoors"]),
        ("Styling, hair & makeup", PRE, ["Pull styling options", "Hair and makeup look agreed"]),
        (
            "Shoot day",
            PROD,
            ["Call sheet sent", "Lighting setup", "Shoot the shot list", "Back up images"],
        ),
        ("Selects & retouching", POST, ["Client selects", "Retouching", "Final approval"]),
        ("Delivery", POST, ["Export final files", "Deliver to client"]),
    ],
    "fashion_show": [
        ("Collection & concept", PRE, ["Show concept", "Running order of looks"]),
        (
            "Venue & runway design",
            PRE,
            ["Venue booked", "Runway and seating plan", "Lighting design"],
        ),
        ("Model casting & fittings", PRE, ["Model casting", "Fittings", "Final looks confirmed"]),
        ("Hair & makeup", PRE, ["Hair and makeup test", "Backstage team booked"]),
        ("Music & sound", PRE, ["Show soundtrack", "Sound system check"]),
        ("Rehearsal", PROD, ["Walk-through with models", "Full rehearsal with music and lights"]),
        ("Show", PROD, ["Backstage running order posted", "Guest list and seating", "Show runs"]),
        ("Press & content", POST, ["Runway photos delivered", "Press release sent"]),
    ],
    "other": [
        ("Planning", PRE, ["Brief and goals", "Budget", "Schedule"]),
        ("Preparation", PRE, ["Book crew", "Book locations and kit"]),
        ("Delivery", PROD, ["Call sheet sent", "Run the day"]),
        ("Wrap", POST, ["Return kit", "Pay suppliers", "Wrap report"]),
    ],
}


def seed(apps, schema_editor):
    CrewRole = apps.get_model("productions", "CrewRole")
    StageTemplate = apps.get_model("productions", "StageTemplate")
    ChecklistItemTemplate = apps.get_model("productions", "ChecklistItemTemplate")

    for name, department, description in ROLES:
        CrewRole.objects.get_or_create(
            name=name, defaults={"department": department, "description": description}
        )
    for kind, stages in TEMPLATES.items():
        for position, (name, phase, items) in enumerate(stages, start=1):
            stage, created = StageTemplate.objects.get_or_create(
                kind=kind, name=name, defaults={"phase": phase, "position": position}
            )
            if created:
                ChecklistItemTemplate.objects.bulk_create(
                    ChecklistItemTemplate(stage_template=stage, title=title, position=n)
                    for n, title in enumerate(items, start=1)
                )


class Migration(migrations.Migration):
    dependencies = [("productions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
