"""The audit log: who did what, when. Staff read and export it at ``/organisation/audit/``.

The rows are django-auditlog's ``LogEntry``: every caller records through
``communities.audit.services.audit_record``, the admin records every change it makes, and the
entries are pruned after ``AUDIT_RETENTION_DAYS``.
"""
