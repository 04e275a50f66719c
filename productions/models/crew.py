"""The crew directory: roles on set and the people who fill them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class CrewRole(models.Model):
    class Department(models.TextChoices):
        PRODUCTION = "production", "Production"
        DIRECTION = "direction", "Direction"
        CAMERA = "camera", "Camera"
        LIGHTING = "lighting", "Lighting"
        SOUND = "sound", "Sound"
        ART = "art", "Art"
        WARDROBE = "wardrobe", "Wardrobe"
        HAIR_MAKEUP = "hair_makeup", "Hair & makeup"
        CHOREOGRAPHY = "choreography", "Choreography"
        POST_PRODUCTION = "post_production", "Post-production"
        LOGISTICS = "logistics", "Logistics"
        TALENT = "talent", "Talent"

    name = models.CharField(max_length=100)
    department = models.CharField(max_length=20, choices=Department)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="crew_role_unique_name_ci",
                violation_error_message="A crew role with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class CrewMember(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    default_role = models.ForeignKey(
        CrewRole, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="crew_member",
        help_text="The login this crew member uses, if they have one.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # Many freelancers have no email on file, so only non-empty ones
            # must be unique (and case does not make a different address).
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="crew_member_unique_email",
                violation_error_message="A crew member with this email already exists.",
            ),
        ]

    def __str__(self):
        return self.name
