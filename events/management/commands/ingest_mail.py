"""``manage.py ingest_mail < message.eml``: apply the calendar reply in one raw e-mail.

For an MTA pipe (e.g. Postfix ``kennisplein: "|/srv/kennisplein/.venv/bin/python manage.py
ingest_mail"``) or a Maildir hook. Exit status 0 whatever the mail holds (an MTA would bounce it
otherwise); what happened is printed and logged, never the mail itself.
"""

import sys

from django.core.management.base import BaseCommand

from events.calendar.services.replies import inbound_mail_process


class Command(BaseCommand):
    help = "Read one raw e-mail on stdin and apply the calendar reply (Accept/Decline) in it."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        for result in inbound_mail_process(raw):
            self.stdout.write(f"{result.outcome}: {result.reason}")
