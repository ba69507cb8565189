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


def _sectors(nbytes: int) -> int:
    return -(-nbytes // _SECTOR)


def write(tree: Tree) -> bytes:
    """The compound file holding ``tree`` (root storage contents)."""
    entries = _flatten(tree)
    mini, minifat = _mini_stream(entries)
    big = [e for e in entries if e.kind == 2 and len(e.data) >= _CUTOFF]
    n_dir = _sectors(len(entries) * 128)
    n_minifat = _sectors(len(minifat) * 4)
    n_ministream = _sectors(len(mini))
    n_fat = _fat_sectors(n_dir + n_minifat + n_ministream + sum(_sectors(len(e.data)) for e in big))
    fat, body = _allocate(entries, big, n_fat, n_dir, n_minifat, len(mini))
    first_dir = n_fat
    first_minifat = n_fat + n_dir if n_minifat else _END

    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += b"\xff" * (n_minifat * _SECTOR - len(minifat_bytes))

    out = bytearray(_header(n_fat, first_dir, first_minifat, n_minifat))
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += _directory(entries, n_dir)
    out += minifat_bytes if n_minifat else b""
    out += bytes(mini) + b"\0" * (n_ministream * _SECTOR - len(mini))
    out += body
    return bytes(out)


def _mini_stream(entries: list[_Entry]) -> tuple[bytearray, list[int]]:
    """Small streams go to the mini stream (64-byte sectors), which itself is stored in
    regular sectors: its bytes and its allocation table; sets each small stream's start."""
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
    return mini, minifat


def _fat_sectors(n_other: int) -> int:
    """Sectors of the allocation table that maps itself and ``n_other`` other sectors."""
    n_fat = 1
    while _sectors((n_fat + n_other) * 4) > n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for this writer (needs DIFAT sectors)")
    return n_fat


def _allocate(
    entries: list[_Entry], big: list[_Entry], n_fat: int, n_dir: int, n_minifat: int, n_mini: int
) -> tuple[list[int], bytearray]:
    """The allocation table (its own sectors, the directory, the mini allocation table,
    the mini stream, then each large stream) and the large streams' sectors; sets the
    root's and each large stream's start."""
    fat = [_FREE] * (n_fat * _SECTOR // 4)
    for i in range(n_fat):
        fat[i] = _FATSECT
    pos = n_fat
    _chain(fat, pos, n_dir)
    pos += n_dir
    _chain(fat, pos, n_minifat)
    pos += n_minifat
    n_ministream = _sectors(n_mini)
    if n_ministream:
        entries[0].start, entries[0].size = pos, n_mini
        _chain(fat, pos, n_ministream)
        pos += n_ministream
    body = bytearray()
    for e in big:
        n = _sectors(len(e.data))
        e.start, e.size = pos, len(e.data)
        _chain(fat, pos, n)
        pos += n
        body += e.data + b"\0" * (n * _SECTOR - len(e.data))
    return fat, body


def _directory(entries: list[_Entry], n_dir: int) -> bytearray:
    """The directory sectors: one 128-byte entry per storage or stream, then empty ones."""
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
    return dir_bytes


def _header(n_fat: int, first_dir: int, first_minifat: int, n_minifat: int) -> bytearray:
    """The 512-byte header: version 3, 512-byte sectors, the FAT sectors listed in it."""
    header = bytearray()
    header += bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIII", 0, n_fat, first_dir, 0)
    header += struct.pack("<IIIII", _CUTOFF, first_minifat, n_minifat, _END, 0)
    difat = list(range(n_fat)) + [_FREE] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    return header
