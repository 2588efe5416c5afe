"""Exceptions a user can act on; the CLI prints them as one line and exits 2."""

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
"""The exit codes of every command: done, bad input or usage, interrupted (Ctrl-C)."""


class GdtuiError(Exception):
    """Base class of every error gdtui reports to a user."""


class DataError(GdtuiError):
    """A data file or dataset that cannot be used (missing, malformed, degenerate)."""


class ConfigError(GdtuiError):
    """A setting that is out of range or unknown (learning rate, optimizer, spec...)."""


class WriteError(GdtuiError, OSError):
    """An output file that cannot or must not be written (see :mod:`gdtui.atomic`).

    It is an :class:`OSError` too, so that callers written to catch a failed write
    as ``OSError`` keep catching it.
    """


class FileExists(WriteError):
    """The output file exists and overwriting was not allowed.

    The app catches it to ask; the CLI refuses unless ``--force`` is given.
    """

    def __init__(self, path, hint: str = "") -> None:
        from gdtui.atomic import shown

        self.path = path
        super().__init__(f"{shown(path)}: already exists{'; ' + hint if hint else ''}")
