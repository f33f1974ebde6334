"""The types of the command line's values: argparse ``type=`` functions.

Each returns the parsed value or raises ``argparse.ArgumentTypeError`` with
what was expected, which argparse prints as one line with exit status 2.
"""

import argparse
import json

__all__ = ["assignment", "cv", "cv_search", "fraction", "non_negative", "positive"]


def int_arg(valid, requirement):
    """An argparse type: an integer for which ``valid(value)`` holds."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not valid(value):
            raise argparse.ArgumentTypeError(f"must be {requirement}, got {text!r}")
        return value

    return parse


positive = int_arg(lambda v: v >= 1, "a positive integer")
non_negative = int_arg(lambda v: v >= 0, ">= 0")
cv = int_arg(lambda v: v == 0 or v >= 2, "0 (no CV) or at least 2")
cv_search = int_arg(lambda v: v >= 2, "at least 2")


def fraction(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text!r}")
    return value


def assignment(text):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected PARAM=VALUE, got {text!r}")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value
