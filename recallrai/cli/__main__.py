"""``python -m recallrai.cli``: the same as the ``recallrai`` command."""

from . import run

run()
