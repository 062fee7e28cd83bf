"""Writes of intervision (rule 1): every function is keyword-only, says its transaction and
idempotency, and raises DomainError with a message that is safe to show.

Confidentiality: nothing here logs, mails or hands to Celery any case text or live item; mail
carries the group's name, the date and a link only."""
