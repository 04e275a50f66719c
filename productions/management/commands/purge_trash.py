from django.core.management.base import BaseCommand

from productions.services.trash import KEEP_FOR, purge_expired


class Command(BaseCommand):
    help = f"Delete for good what has been in the trash for more than {KEEP_FOR.days} days."

    def handle(self, *args, **options):
        productions, stages, items = purge_expired()
        self.stdout.write(
            f"Purged {productions} production(s), {stages} stage(s) and {items} item(s)."
        )
