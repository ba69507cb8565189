"""The VBA project inside an add-in ([MS-OVBA]): compression and the project's records.

Used by ``addin.excel.xlam`` to rebuild the VBA project of the xlwings ribbon add-in with the CSQ
modules.  The project carries no compiled cache (``_VBA_PROJECT`` version 0xFFFF), so Excel
recompiles every module from the source stored here when it opens the add-in.

- ``compress`` / ``decompress``: the run-length/LZ77 scheme of MS-OVBA 2.4.1.
- ``DirStream``: the ``VBA/dir`` records (MS-OVBA 2.3.4.2) with the module list editable.
- ``project_wm`` / ``project_text``: the ``PROJECTwm`` and ``PROJECT`` streams (2.3.3, 2.3.1).

Everything here is a pure function of its input, so two builds give identical bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

_CHUNK = 4096


# --- MS-OVBA 2.4.1 compression --------------------------------------------------------------


def _copy_token_split(position: int) -> tuple[int, int]:
    """(bit count of the offset, maximum match length) at ``position`` in the chunk."""
    bits = max((position - 1).bit_length(), 4) if position > 1 else 4
    return bits, (0xFFFF >> bits) + 3


def _compress_chunk(data: bytes) -> bytes:
    """One compressed chunk (header + tokens) for up to 4096 decompressed bytes."""
    out = bytearray()
    n = len(data)
    pos = 0
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> positions (most recent last)
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            bits, max_len = _copy_token_split(pos)
            best_len, best_off = 0, 0
            if pos + 3 <= n:
                cands = heads.get(data[pos : pos + 3], ())
                limit = min(max_len, n - pos)
                for start in reversed(cands[-64:]):
                    length = 3
                    while length < limit and data[start + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - start
                        if length == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + 3 <= n:
                    heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    if len(out) > _CHUNK:  # incompressible: a raw chunk, padded as MS-OVBA 2.4.1.3.10 says
        return struct.pack("<H", 0x3FFF) + data.ljust(_CHUNK, b"\0")
    header = (len(out) + 2 - 3) | (0b011 << 12) | 0x8000
    return struct.pack("<H", header) + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer (signature byte 0x01, then chunks of 4096 source bytes)."""
    out = bytearray(b"\x01")
    for i in range(0, len(data), _CHUNK):
        out += _compress_chunk(data[i : i + _CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Inverse of ``compress`` for any valid CompressedContainer."""
    if not container or container[0] != 1:
        raise ValueError("not an MS-OVBA compressed container (signature byte != 0x01)")
    out = bytearray()
    i = 1
    while i < len(container):
        (header,) = struct.unpack_from("<H", container, i)
        size = (header & 0x0FFF) + 3
        end = min(i + size, len(container))
        i += 2
        start = len(out)
        if not header & 0x8000:
            out += container[i : i + _CHUNK]
            i += _CHUNK
            continue
        while i < end:
            flags = container[i]
            i += 1
            for bit in range(8):
                if i >= end:
                    break
                if flags & (1 << bit):
                    (token,) = struct.unpack_from("<H", container, i)
                    i += 2
                    bits, _ = _copy_token_split(len(out) - start)
                    length = (token & (0xFFFF >> bits)) + 3
                    offset = (token >> (16 - bits)) + 1
                    src = len(out) - offset
                    for k in range(length):
                        out.append(out[src + k])
                else:
                    out.append(container[i])
                    i += 1
    return bytes(out)


# --- VBA/dir (MS-OVBA 2.3.4.2) -------------------------------------------------------------

_PROJECTNAME = 0x0004
_PROJECTVERSION = 0x0009  # its size field says 4 but 6 bytes follow
_PROJECTMODULES = 0x000F
_PROJECTCOOKIE = 0x0013
_MODULENAME = 0x0019
_MODULEOFFSET = 0x0031
_MODULE_TERMINATOR = 0x002B
_DIR_TERMINATOR = 0x0010


@dataclass
class Module:
    """One module of the project: its name, kind and stream contents."""

    name: str
    procedural: bool  # a standard module (.bas); False for document/class modules (.cls)
    stream: bytes = b""  # the module stream as stored (performance cache + compressed source)
    offset: int = 0  # where the compressed source starts in ``stream``
    records: list[tuple[int, bytes]] = field(default_factory=list)  # original dir records

    @property
    def source(self) -> bytes:
        return decompress(self.stream[self.offset :])

    def with_source(self, source: bytes, name: str | None = None) -> Module:
        """The same module with new source text (no cache, offset 0) and maybe a new name."""
        return Module(name or self.name, self.procedural, compress(source), 0, self.records)


def _records(data: bytes) -> list[tuple[int, bytes]]:
    recs = []
    i = 0
    while i < len(data):
        rid, size = struct.unpack_from("<HI", data, i)
        if rid == _PROJECTVERSION:
            size = 6
        recs.append((rid, data[i + 6 : i + 6 + size]))
        i += 6 + size
    return recs


def _pack(rid: int, payload: bytes) -> bytes:
    size = 4 if rid == _PROJECTVERSION else len(payload)
    return struct.pack("<HI", rid, size) + payload


@dataclass
class DirStream:
    """The project's information and reference records, and its modules."""

    head: list[tuple[int, bytes]]  # PROJECTINFORMATION + PROJECTREFERENCES, kept verbatim
    modules: list[Module]
    codepage: int

    @classmethod
    def parse(cls, compressed: bytes) -> DirStream:
        recs = _records(decompress(compressed))
        start = next(i for i, (rid, _) in enumerate(recs) if rid == _PROJECTMODULES)
        codepage = next(struct.unpack("<H", p)[0] for rid, p in recs if rid == 0x0003)
        modules: list[Module] = []
        current: list[tuple[int, bytes]] = []
        for rid, payload in recs[start + 2 :]:  # skip PROJECTMODULES and PROJECTCOOKIE
            if rid == _DIR_TERMINATOR:
                break
            current.append((rid, payload))
            if rid == _MODULE_TERMINATOR:
                fields = dict(current)
                modules.append(
                    Module(
                        name=fields[_MODULENAME].decode(f"cp{codepage}"),
                        procedural=0x0021 in fields,
                        offset=struct.unpack("<I", fields[_MODULEOFFSET])[0],
                        records=current,
                    )
                )
                current = []
        return cls(head=recs[:start], modules=modules, codepage=codepage)

    def set_project_name(self, name: str) -> None:
        self.head = [
            (rid, name.encode(f"cp{self.codepage}") if rid == _PROJECTNAME else p)
            for rid, p in self.head
        ]

    def _module_records(self, m: Module) -> bytes:
        cp = f"cp{self.codepage}"
        name, uname = m.name.encode(cp), m.name.encode("utf-16-le")
        old = dict(m.records)
        recs = [
            (0x0019, name),
            (0x0047, uname),
            (0x001A, name),
            (0x0032, uname),
            (0x001C, old.get(0x001C, b"")),
            (0x0048, old.get(0x0048, b"")),
            (0x0031, struct.pack("<I", m.offset)),
            (0x001E, old.get(0x001E, b"\0\0\0\0")),
            (0x002C, b"\xff\xff"),
            (0x0021 if m.procedural else 0x0022, b""),
        ]
        recs += [(rid, p) for rid, p in m.records if rid in (0x0025, 0x0028)]  # read-only, private
        recs.append((_MODULE_TERMINATOR, b""))
        return b"".join(_pack(rid, p) for rid, p in recs)

    def to_bytes(self) -> bytes:
        """The decompressed dir stream."""
        out = bytearray(b"".join(_pack(rid, p) for rid, p in self.head))
        out += _pack(_PROJECTMODULES, struct.pack("<H", len(self.modules)))
        out += _pack(_PROJECTCOOKIE, b"\xff\xff")
        for m in self.modules:
            out += self._module_records(m)
        out += _pack(_DIR_TERMINATOR, b"")
        return bytes(out)


def project_wm(modules: list[Module], codepage: int) -> bytes:
    """The PROJECTwm stream: each module name in the code page and in UTF-16."""
    out = bytearray()
    for m in modules:
        out += m.name.encode(f"cp{codepage}") + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def project_text(
    original: str, modules: list[Module], project_name: str, renamed: dict[str, str]
) -> str:
    """The PROJECT stream with the module lines, name and workspace rewritten.

    ``renamed`` maps old module names to new ones; modules not in ``original`` are added.
    Protection lines (ID, CMG, DPB, GC) are kept as they are.
    """
    lines = original.replace("\r\n", "\n").split("\n")
    known = {m.name for m in modules}
    out: list[str] = []
    added = False
    section = ""
    present: set[str] = set()
    for line in lines:
        if line.startswith("["):
            section = line
        key, _, value = line.partition("=")
        if section == "" and key in ("Module", "Document", "Class", "BaseClass"):
            name = value.split("/")[0]
            name = renamed.get(name, name)
            if name not in known:
                continue
            present.add(name)
            out.append(f"{key}={name}{value[len(value.split('/')[0]) :]}")
            continue
        if section == "" and key == "Name" and not added:
            for m in modules:  # new modules go after the existing module lines
                if m.name not in present:
                    out.append(f"Module={m.name}" if m.procedural else f"Class={m.name}")
            out.append(f'Name="{project_name}"')
            added = True
            continue
        if section == "[Workspace]" and "=" in line:
            name = renamed.get(key, key)
            if name in known:
                out.append(f"{name}={value}")
            continue
        if section == "[Workspace]" and line == "":
            for m in modules:
                if m.name not in present and f"{m.name}=" not in "\n".join(out):
                    out.append(f"{m.name}=0, 0, 0, 0, C")
            section = "done"
        out.append(line)
    if section == "[Workspace]":  # the stream ended inside the workspace section
        out += [f"{m.name}=0, 0, 0, 0, C" for m in modules if m.name not in present]
    return "\r\n".join(out)
