"""The ``sklearn-imdb`` command: a thin layer that parses, calls the API and prints.

:func:`main` runs it. Private modules: the argument parser (``_parser``),
the commands (``_commands``), where their data comes from (``_data``),
``train`` on a file past the memory budget (``_streaming``) and how
``predict`` prints its rows (``_rows``).
"""

from ._commands import main

__all__ = ["main"]
