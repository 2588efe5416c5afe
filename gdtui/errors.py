"""Exceptions a user can act on; the CLI prints them as one line and exits 2."""


class GdtuiError(Exception):
    """Base class of every error gdtui reports to a user."""


class DataError(GdtuiError):
    """A data file or dataset that cannot be used (missing, malformed, degenerate)."""


class ConfigError(GdtuiError):
    """A setting that is out of range or unknown (learning rate, optimizer, spec...)."""
