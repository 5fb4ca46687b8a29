"""Errors a person can act on: one line saying what is wrong with which input."""


class InputError(Exception):
    """A document that cannot be processed, with a message meant for a person."""
