"""Errors the library raises for users: each renders as one actionable line."""


class PkError(Exception):
    """A failure to report as `ERROR: message` with exit status `status`."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class FormatError(PkError):
    """A file that is malformed, truncated, hostile or not what it claims to be."""

    def __init__(self, source, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = str(source)
        self.reason = reason


class TrustError(PkError):
    """A signature that is missing, made by an unknown key, or does not verify."""

    def __init__(self, source, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = str(source)
        self.reason = reason
