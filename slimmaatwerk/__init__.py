"""Slim Maatwerk: local-first ambient monitoring for older people living independently at home.

Everything in this package except ``slimmaatwerk.gui`` is the Qt-free core.
"""

__version__ = "0.1.0"
