"""A bound on password checks running at once: argon2id takes 64 MiB per check, so memory follows concurrency.

Without it, a burst of sign-ins (a class of guides, or someone hammering the form) makes each worker
hold 64 MiB per concurrent check on top of its pages. With it, at most `slots` checks run per process;
the next ones wait up to `wait_seconds` for a slot and are then turned away with 503 and Retry-After,
before anything is counted or recorded, so trying again later costs nobody an attempt.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import DomainError
from ..messages import _

RETRY_AFTER_SECONDS = 5  # a check takes well under a second: a few seconds lets the queue drain


class SignInBusy(DomainError):
    status = 503
    code = "sign_in_busy"

    def __init__(self, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(_("Many people are signing in right now. Please try again in a few seconds."))
        self.retry_after = retry_after


class PasswordCheckSlots:
    """At most `slots` password checks at once in this process; a caller waits `wait_seconds` at most."""

    def __init__(self, slots: int, wait_seconds: float):
        if slots < 1:
            raise ValueError("password check slots: at least 1")
        self.slots, self.wait_seconds = slots, wait_seconds
        self._semaphore = threading.BoundedSemaphore(slots)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot for the block, or raise SignInBusy when none frees up in time."""
        if not self._semaphore.acquire(timeout=self.wait_seconds):
            raise SignInBusy()
        try:
            yield
        finally:
            self._semaphore.release()


UNBOUNDED = PasswordCheckSlots(1_000_000, 0)  # for callers outside the web app (the CLI, scripts)
