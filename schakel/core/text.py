"""Checks on text that people bring in by file (the register and action-plan imports)."""

import re

# Control characters other than tab, line feed and carriage return (C0, DEL and C1): they
# have no place in a name or a description, and some (NUL, ESC) break exports and terminals.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
