"""The exception tree: each class says what its caller does about it.

IntakeError
├── ConfigError            bad or missing settings: fail at start, one line naming the key
├── TransientError         infrastructure hiccup: end this tick, retry on the next
│   ├── MailboxUnavailable     IMAP connect/timeout, Maildir unreadable
│   └── DeliveryDeferred       SMTP 4xx, timeout, connection refused
├── AuthenticationFailed   a server refused our login: no retry mends it, an operator must;
│                          the mail waits, uncharged (IMAP LOGIN refused, SMTP 530/534/535)
├── MessageError           this one message cannot be handled: quarantine it, go on
│   └── UnparseableMessage
├── DeliveryRejected       SMTP 5xx: the outbound mail failed for good
├── IllegalTransition      an event not allowed in the letter's state: a bug or a race
│   └── StaleState             compare-and-set lost: someone else moved the letter first
└── NotFound               an id or key the user named does not exist

OverBudget (a BaseException, as KeyboardInterrupt is: no ``except Exception`` in a
parser may swallow it) — one message took longer than its time budget: quarantine it
"""

from __future__ import annotations


class IntakeError(Exception):
    """Base of every error intake raises on purpose."""


class ConfigError(IntakeError):
    """The configuration is missing, malformed or inconsistent."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(f"config: {key}: {problem}")


class TransientError(IntakeError):
    """Retry later: the world, not the message, is the problem."""


class MailboxUnavailable(TransientError):
    """The inbox could not be reached or read."""


class DeliveryDeferred(TransientError):
    """The mail server refused for now (4xx) or could not be reached."""


class AuthenticationFailed(IntakeError):
    """A mail server refused intake's credentials (or demands ones intake does not give).

    Not a :class:`TransientError`: retrying with the same password fails the same way, so
    the worker reports it as an error (once, until it changes) and marks itself unhealthy;
    outgoing mail is not charged an attempt and stays queued.  *server* is ``"imap"`` or
    ``"smtp"``, the config section whose ``username`` and ``password_env`` to check.
    """

    def __init__(self, server: str, detail: str) -> None:
        self.server = server
        self.detail = detail
        super().__init__(
            f"{server} login refused: {detail} "
            f"(check {server}.username and the variable {server}.password_env names)"
        )


class DeliveryRejected(IntakeError):
    """The mail server refused for good (5xx)."""


class MessageError(IntakeError):
    """This message cannot be handled; quarantine it and continue."""


class UnparseableMessage(MessageError):
    """The bytes are not a message we can read."""


class IllegalTransition(IntakeError):
    """The event is not allowed in the letter's current state."""

    def __init__(self, letter_id: int, state: str, event: str) -> None:
        self.letter_id = letter_id
        self.state = state
        self.event = event
        super().__init__(f"letter {letter_id}: event {event!r} not allowed in state {state!r}")


class StaleState(IllegalTransition):
    """Another worker changed the letter between our read and our write."""


class NotFound(IntakeError, LookupError):
    """An id or key the caller named does not exist."""


class OverBudget(BaseException):
    """Handling one message took longer than ``classify.budget_seconds``.

    Raised asynchronously (by the time limit's alarm) and only inside pure code,
    so it unwinds like any error: the message's transaction rolls back and the
    inbound loop quarantines the message with the reason.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"took longer than classify.budget_seconds ({seconds:g} s)")
