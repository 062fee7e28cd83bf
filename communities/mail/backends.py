"""The SMTP backend the outbox talks to: Django's, with honest 8-bit transport.

Django writes UTF-8 text parts with ``Content-Transfer-Encoding: 8bit`` but never tells the
server so. RFC 6152 asks a client that sends 8-bit data to declare ``BODY=8BITMIME``, and only
to a server that offers it; for any other server every 8-bit part is re-encoded as
quoted-printable, so the message is 7-bit clean. The bytes of the message are otherwise
Django's.
"""

import email.charset
import smtplib
from email.message import Message

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as DjangoSmtpBackend
from django.core.mail.message import sanitize_address

QUOTED_PRINTABLE = email.charset.Charset("utf-8")
QUOTED_PRINTABLE.body_encoding = email.charset.QP


def make_seven_bit(message: Message) -> Message:
    """Re-encode every 8-bit leaf part of ``message`` as quoted-printable, in place."""
    for part in message.walk():
        if part.is_multipart():
            continue
        if str(part.get("Content-Transfer-Encoding", "")).lower() != "8bit":
            continue
        text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        del part["Content-Transfer-Encoding"]
        part.set_payload(text, QUOTED_PRINTABLE)
    return message


class EmailBackend(DjangoSmtpBackend):
    def _send(self, email_message) -> bool:
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitize_address(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        message = email_message.message()
        self.connection.ehlo_or_helo_if_needed()
        if self.connection.has_extn("8bitmime"):
            options = ["BODY=8BITMIME"]
        else:
            options = []
            make_seven_bit(message)
        try:
            self.connection.sendmail(
                from_email, recipients, message.as_bytes(linesep="\r\n"), mail_options=options
            )
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
