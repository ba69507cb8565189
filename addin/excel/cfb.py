"""A small, deterministic writer for OLE compound files ([MS-CFB] version 3).

The add-in's ``xl/vbaProject.bin`` is a compound file.  olefile reads them but can only
overwrite streams of the same size, so the build writes a new one from a tree of streams:
512-byte sectors, streams under 4096 bytes in the mini stream (64-byte sectors), no
timestamps or class ids, children ordered as the format requires.  The same tree always
gives the same bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

_SECTOR = 512
_MINI = 64
_CUTOFF = 4096
_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF

Tree = Mapping[str, "bytes | Tree"]  # a storage: name -> stream bytes or sub-storage


def _key(name: str) -> tuple[int, str]:
    """Sibling order of MS-CFB 2.6.4: shorter names first, then by upper-case code points."""
    return (len(name), name.upper())


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.left = self.right = self.child = _NOSTREAM
        self.color = 1  # black
        self.start, self.size = _END, 0


def _flatten(tree: Tree) -> list[_Entry]:
    root = _Entry("Root Entry", 5)
    entries = [root]

    def add(parent: _Entry, node: Tree) -> None:
        for name in sorted(node, key=_key):
            if len(name) > 31:
                raise ValueError(f"compound file name too long: {name!r}")
            value = node[name]
            if isinstance(value, (bytes, bytearray)):
                e = _Entry(name, 2, bytes(value))
            else:
                e = _Entry(name, 1)
            entries.append(e)
            parent.children.append(e)
            if not isinstance(value, (bytes, bytearray)):
                add(e, value)

    add(root, tree)
    index = {id(e): i for i, e in enumerate(entries)}

    def balance(kids: list[_Entry], depth: int, depths: dict[int, int]) -> int:
        """A binary search tree of siblings split at the middle: subtree sizes differ by at
        most one, so every empty child link sits at depth D or D+1 (D = deepest node)."""
        if not kids:
            return _NOSTREAM
        mid = len(kids) // 2
        node = kids[mid]
        depths[id(node)] = depth
        node.left = balance(kids[:mid], depth + 1, depths)
        node.right = balance(kids[mid + 1 :], depth + 1, depths)
        return index[id(node)]

    for e in entries:
        if e.kind in (1, 5):
            depths: dict[int, int] = {}
            e.child = balance(e.children, 0, depths)
            deepest = max(depths.values(), default=0)
            # red-black colouring: the deepest level red, the rest black; every path from
            # the root to an empty link then passes the same number of black nodes
            for kid in e.children:
                kid.color = 0 if 0 < depths[id(kid)] == deepest else 1
    return entries


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else _END


def write(tree: Tree) -> bytes:
    """The compound file holding ``tree`` (root storage contents)."""
    entries = _flatten(tree)

    # Small streams go to the mini stream, which itself is stored in regular sectors.
    mini = bytearray()
    minifat: list[int] = []
    for e in entries:
        if e.kind == 2 and 0 < len(e.data) < _CUTOFF:
            n = -(-len(e.data) // _MINI)
            e.start, e.size = len(minifat), len(e.data)
            minifat += [len(minifat) + i + 1 for i in range(n)]
            minifat[-1] = _END
            mini += e.data + b"\0" * (n * _MINI - len(e.data))
        elif e.kind == 2 and not e.data:
            e.start, e.size = _END, 0

    def sectors(nbytes: int) -> int:
        return -(-nbytes // _SECTOR)

    n_dir = sectors(len(entries) * 128)
    n_minifat = sectors(len(minifat) * 4)
    n_ministream = sectors(len(mini))
    big = [e for e in entries if e.kind == 2 and len(e.data) >= _CUTOFF]
    n_big = sum(sectors(len(e.data)) for e in big)
    n_fat = 1
    while True:
        total = n_fat + n_dir + n_minifat + n_ministream + n_big
        if sectors(total * 4) <= n_fat:
            break
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for this writer (needs DIFAT sectors)")

    fat = [_FREE] * (n_fat * _SECTOR // 4)
    pos = 0
    for i in range(n_fat):
        fat[i] = _FATSECT
    pos = n_fat
    first_dir = pos
    _chain(fat, pos, n_dir)
    pos += n_dir
    first_minifat = pos if n_minifat else _END
    _chain(fat, pos, n_minifat)
    pos += n_minifat
    root = entries[0]
    if n_ministream:
        root.start, root.size = pos, len(mini)
        _chain(fat, pos, n_ministream)
        pos += n_ministream
    body = bytearray()
    for e in big:
        n = sectors(len(e.data))
        e.start, e.size = pos, len(e.data)
        _chain(fat, pos, n)
        pos += n
        body += e.data + b"\0" * (n * _SECTOR - len(e.data))

    dir_bytes = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\0\0"
        dir_bytes += name.ljust(64, b"\0")
        dir_bytes += struct.pack("<HBB", len(name), e.kind, e.color)
        dir_bytes += struct.pack("<III", e.left, e.right, e.child)
        dir_bytes += b"\0" * 16 + b"\0" * 4 + b"\0" * 16  # clsid, state bits, times
        dir_bytes += struct.pack("<IQ", e.start if e.kind != 1 else 0, e.size)
    empty = b"\0" * 64 + struct.pack("<HBB", 0, 0, 0)
    empty += struct.pack("<III", _NOSTREAM, _NOSTREAM, _NOSTREAM) + b"\0" * 48
    while len(dir_bytes) < n_dir * _SECTOR:
        dir_bytes += empty

    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += b"\xff" * (n_minifat * _SECTOR - len(minifat_bytes))

    header = bytearray()
    header += bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIII", 0, n_fat, first_dir, 0)
    header += struct.pack("<IIIII", _CUTOFF, first_minifat, n_minifat, _END, 0)
    difat = list(range(n_fat)) + [_FREE] * (109 - n_fat)
    header += struct.pack("<109I", *difat)

    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += dir_bytes
    out += minifat_bytes if n_minifat else b""
    out += bytes(mini) + b"\0" * (n_ministream * _SECTOR - len(mini))
    out += body
    return bytes(out)
