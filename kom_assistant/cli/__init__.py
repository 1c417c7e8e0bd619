"""The `kom-assistant` command: people's questions and maintainers' commands in, text or the
JSON contract (json_shapes) out. Turns the library's errors into messages.
"""

from .main import main

__all__ = ["main"]
