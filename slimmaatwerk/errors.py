"""The one root error of the product, and the few kinds the command line and GUI tell apart."""


class SlimMaatwerkError(Exception):
    """Root of every error the product raises on purpose; its message is shown to the user as is."""


class InputError(SlimMaatwerkError):
    """Bad input from a user or a file (a CSV line, an argument, a profile file)."""


class AccessDenied(SlimMaatwerkError):
    """The acting user may not do this (role or per-resident scope)."""


class SchemaMismatch(SlimMaatwerkError):
    """The database schema is not the version this program knows."""


class EngineBusy(SlimMaatwerkError):
    """Another engine holds the lease on this database."""
