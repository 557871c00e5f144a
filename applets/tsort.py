"""tsort: topological sort of the pairs of words in the input.

Output order matches BusyBox exactly: nodes live in an array sorted by name,
each step takes the first node without incoming edges (or, on a cycle, node 0)
and fills its slot with the last node. A heap of candidate slots makes each
step logarithmic instead of a linear scan.
"""

import heapq
import os

from applets import _text
from applets.common import Fail, UsageError, getopt, stdout, warn

USAGE = """tsort [FILE]

Topological sort"""


def _read_words(fd: int) -> list[bytes]:
    pieces = []
    try:
        while data := os.read(fd, 1 << 20):
            pieces.append(data)
    except IsADirectoryError:
        pass
    return b"".join(pieces).split()


def _build_graph(words: list[bytes]):
    """Nodes sorted by name, in-degree per node, and each node's successors (with repeats)."""
    names = sorted(set(words))
    index = {name: number for number, name in enumerate(names)}
    in_count = [0] * len(names)
    successors = [[] for _ in names]
    for first, second in zip(words[::2], words[1::2]):
        if first != second:
            successors[index[first]].append(index[second])
            in_count[index[second]] += 1
    return names, in_count, successors


def busybox_order(names: list[bytes], in_count: list[int], successors: list[list[int]]):
    """Yield (node, broke_cycle) in BusyBox's output order.

    `slots` is BusyBox's node array; `ready` holds the slots that may hold a node
    without incoming edges (stale entries are skipped when popped).
    """
    slots = list(range(len(names)))
    slot_of = list(range(len(names)))
    ready = [slot for slot in slots if not in_count[slot]]
    removed = [False] * len(names)
    while slots:
        slot = None
        while ready:
            candidate = heapq.heappop(ready)
            if candidate < len(slots) and not in_count[slots[candidate]]:
                slot = candidate
                break
        broke_cycle = slot is None
        if broke_cycle:
            slot = 0
        node = slots[slot]
        last = slots.pop()
        if slot < len(slots):
            slots[slot] = last
            slot_of[last] = slot
            if not in_count[last]:
                heapq.heappush(ready, slot)
        removed[node] = True
        for successor in successors[node]:
            in_count[successor] -= 1
            if not in_count[successor] and not removed[successor]:
                heapq.heappush(ready, slot_of[successor])
        yield node, broke_cycle


def main(argv: list[str]) -> int:
    _options, operands = getopt(argv[1:], "")
    if len(operands) > 1:
        raise UsageError("")
    source = operands[0] if operands else "-"
    try:
        fd = _text.open_fd(source)
    except OSError as exc:
        raise Fail(f"can't open '{source}': {exc.strerror}") from None
    words = _read_words(fd)
    _text.close_fd(fd)
    if len(words) % 2:
        raise Fail("odd input")

    names, in_count, successors = _build_graph(words)
    out = []
    cycles = 0
    for node, broke_cycle in busybox_order(names, in_count, successors):
        if broke_cycle:
            cycles += 1
            warn("cycle at " + os.fsdecode(names[node]))
        out.append(names[node] + b"\n")
    stdout().write(b"".join(out))
    return 1 if cycles else 0
