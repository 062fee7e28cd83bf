"""Tell temporary SMTP trouble (retry later) from permanent refusal (give up)."""

import smtplib


def is_temporary(error: BaseException) -> bool:
    """4xx replies, dropped connections and network errors are temporary; 5xx are permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    # Refused or reset connections, DNS failures and timeouts (all OSError subclasses).
    return isinstance(error, OSError)


def connection_lost(error: BaseException) -> bool:
    """The SMTP session cannot be used for the next message of the batch."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
