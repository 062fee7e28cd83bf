"""Tell server trouble (the circuit opens) from a message's own temporary refusal (retry this
row later) and from permanent refusal (give up on this row)."""

import smtplib

SERVICE_NOT_AVAILABLE = 421


def is_server_trouble(error: BaseException, *, connecting: bool = False) -> bool:
    """The server or the connection failed, not this message: refused or reset connections,
    timeouts, DNS failures, a dropped session, 421 (service not available) and a refused
    sender; while ``connecting`` (greeting, TLS, login) every error. Retrying the next message
    now would fail the same way."""
    if connecting:
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code == SERVICE_NOT_AVAILABLE for code in codes)
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPSenderRefused):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == SERVICE_NOT_AVAILABLE
    if isinstance(error, smtplib.SMTPException):
        return False
    # Refused or reset connections, DNS failures and timeouts (all OSError subclasses).
    return isinstance(error, OSError)


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
    return isinstance(error, OSError)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
