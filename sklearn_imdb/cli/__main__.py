"""``python -m sklearn_imdb.cli``: the ``sklearn-imdb`` command."""

import sys

from ._commands import main

sys.exit(main())
