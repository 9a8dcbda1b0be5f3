"""The small exception tree of Raqib. Causes are always chained."""


class RaqibError(Exception):
    """Base of every error Raqib raises on purpose."""


class ConfigError(RaqibError):
    """A setting is missing or invalid; the message names the variable."""


class InputError(RaqibError):
    """User input (a file, a line, an argument) cannot be used."""


class InfrastructureError(RaqibError):
    """The broker or Redis cannot be reached or started."""


class SkipMessage(RaqibError):  # noqa: N818 - a signal, not a failure
    """The message is valid but needs no output (e.g. an exact re-poll)."""
