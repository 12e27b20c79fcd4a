"""Conversion between the v1 single ``name`` and the v2 ``first_name``/``last_name``.

The database keeps one ``name`` column (the v1 representation). The mapping is
lossless in both directions because a v2 ``first_name`` never contains
whitespace, so the first space of a stored name always marks the boundary.
"""


def split_name(name: str) -> tuple[str, str]:
    """Split a v1 name at its first space.

    ``"Grace Brewster Hopper"`` -> ``("Grace", "Brewster Hopper")``.

    A name without a space has an empty last name: ``"Plato"`` -> ``("Plato", "")``.
    """
    first_name, _, last_name = name.partition(" ")
    return first_name, last_name


def join_name(first_name: str, last_name: str) -> str:
    """Join v2 names into a v1 name.

    ``("Alan", "Mathison Turing")`` -> ``"Alan Mathison Turing"``.

    An empty last name gives just the first name: ``("Cher", "")`` -> ``"Cher"``.
    """
    if last_name == "":
        return first_name
    return f"{first_name} {last_name}"
