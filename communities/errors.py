"""Domain errors: services raise these, views turn them into a message (rule 8)."""


class DomainError(Exception):
    """A request that breaks a business rule; the message is translated and safe to show."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
