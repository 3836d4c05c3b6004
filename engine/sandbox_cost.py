"""How much work a value stands for, measured without doing that work.

The sandbox cannot time a script, so it charges each operation in advance: scanning a value,
comparing or hashing it (which recurses into nested data in C), or turning it into text.
These walks must themselves stay cheap, so they stop as soon as the caller's limit is passed
and cost flat collections of numbers or strings at C speed.
"""

from __future__ import annotations

from typing import Any


def scan_cost(value: Any) -> int:
    """Steps to scan a value once; strings scan at memcmp speed.  (What is built is charged
    its full size instead, which bounds the memory an execution can allocate.)"""
    if isinstance(value, str | bytes):
        return len(value) // 16 + 1
    try:
        return len(value) + 1
    except TypeError:
        return 1


VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
NUMBERS = frozenset({int, float, bool, type(None)})
SCALARS = NUMBERS | {str}
CONTAINERS = (list, tuple, set, frozenset, *VIEWS)


def deep_cost(value: Any, limit: int) -> int:
    """Steps for C code to compare, hash or serialize `value` in full; stops once over `limit`.

    Shared references are counted every time they are reached, because comparison, hashing
    and JSON do the same (`x = [x, x]` forty times is small in memory, huge to compare).
    A container is charged its length when its items are pushed, so the walk itself never
    holds more than `limit` items.
    """
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += 1 + len(item) // 16
            continue
        if isinstance(item, dict):
            total += 1 + 2 * len(item)
            parts: tuple[Any, ...] = (item.keys(), item.values())
        elif isinstance(item, CONTAINERS):
            total += 1 + len(item)
            parts = (item,)
        else:
            total += 1
            continue
        for part in parts:
            kinds = set(map(type, part)) if len(part) > 8 else ()  # flat ones are costed at C speed
            if kinds and kinds <= NUMBERS:
                continue
            if kinds == {str}:
                total += sum(map(len, part)) // 16
            else:
                stack.extend(part)
    return total


def text_size(value: Any, limit: int) -> tuple[int, int]:
    """Upper estimate of len(str(value)) and of the items walked; stops once over `limit`."""
    total = steps = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        steps += 1
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, bytes | bytearray):
            total += 4 * len(item) + 3
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            kinds = set(map(type, item)) if len(item) > 8 else ()
            if kinds == {str}:
                total += sum(map(len, item)) + 2 * len(item)
            elif kinds == {int}:
                total += sum(map(int.bit_length, item)) // 3 + 2 * len(item)
            else:
                stack.extend(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        else:
            total += 40
    return total, steps
