"""Crew on a production: assignments and new freelancers."""

from django.contrib.auth.models import User
from django.db import transaction

from ..models import Assignment, CrewMember, CrewRole, Production
from .activity import Kind, log
from .locks import lock_production


@transaction.atomic
def add_assignment(
    production: Production, *, by: User, crew_member: CrewMember, role: CrewRole
) -> Assignment:
    lock_production(production.pk)
    assignment = Assignment.objects.create(
        production=production, crew_member=crew_member, role=role
    )
    log(production, Kind.CREW_ASSIGNED, by=by, subject=f"{crew_member} as {role}")
    return assignment


@transaction.atomic
def remove_assignment(assignment: Assignment, *, by: User) -> None:
    production = lock_production(assignment.production_id)
    Assignment.objects.filter(pk=assignment.pk).delete()
    log(production, Kind.CREW_REMOVED, by=by, subject=str(assignment))


@transaction.atomic
def create_crew_member(
    production: Production,
    *,
    by: User,
    name: str,
    role: CrewRole,
    email: str = "",
    phone: str = "",
) -> CrewMember:
    """A freelancer new to the directory, on this production's crew at once."""
    lock_production(production.pk)
    crew_member = CrewMember.objects.create(name=name, email=email, phone=phone, default_role=role)
    Assignment.objects.create(production=production, crew_member=crew_member, role=role)
    log(production, Kind.CREW_CREATED, by=by, subject=f"{crew_member} as {role}")
    return crew_member
