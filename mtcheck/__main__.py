"""``python -m mtcheck`` is the same as the ``mtcheck`` command."""
from .cli import entry

entry()
