"""Errors the domain raises; the web layer turns them into 4xx answers with the same message."""


class DomainError(Exception):
    """A request the domain refuses; `message` is written for a person."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status = 404
    code = "not_found"


class ValidationError(DomainError):
    """Input that breaks a rule; `problems` lists every one, each naming the field."""

    status = 422
    code = "invalid"

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class Conflict(DomainError):
    """A write based on a stale version (optimistic concurrency)."""

    status = 412
    code = "stale"


class ReadOnly(DomainError):
    """A write to something the person may read but not change (e.g. a tour shared with them)."""

    status = 403
    code = "read_only"
