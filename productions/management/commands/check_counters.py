from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from productions.models import Production
from productions.services.counters import recount_production, wrong_counters


class Command(BaseCommand):
    help = "Check the progress counters of stages and productions against the rows."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Recount what is wrong.")

    def handle(self, *args, fix=False, **options):
        wrong = wrong_counters()
        for what, kept, actual in wrong:
            self.stdout.write(f"{what}: kept {kept}, counted {actual}")
        if not wrong:
            self.stdout.write("Every counter is right.")
            return
        if not fix:
            raise CommandError(f"{len(wrong)} counter(s) are wrong: run with --fix to recount.")
        with transaction.atomic():
            for production_id in Production.all_objects.values_list("pk", flat=True):
                recount_production(production_id)
        self.stdout.write("Recounted.")
