"""Checks on untrusted input files, done before any parser sees them.

A workbook from outside (a mailed monitoring sheet, a ticket-system export) is refused
with one clear message naming the file when it is:

- larger than the size limit (default 200 MB; ``CSQ_MAX_INPUT_MB`` or ``Limits``);
- named .xlsx/.xlsm/.ods but not a zip archive (a renamed file, a password-protected
  workbook, which Office stores as an encrypted OLE container);
- a zip bomb: too many entries, encrypted entries, an unknown compression method, a total
  uncompressed size over the limit, an entry that expands more than ``max_ratio`` times,
  or an entry whose data expands beyond the size its header declares (every entry is
  decompressed once, in bounded chunks, and counted - declared sizes are not trusted);
- carrying an XML document type declaration (``<!DOCTYPE``) in any XML part.  Office and
  LibreOffice never write one; it is how entity-expansion ("billion laughs") and external
  entity attacks start.

XML that CSQ parses itself goes through :func:`parse_xml` (defusedxml).  Workbooks are
read by python-calamine, whose Rust XML reader (quick-xml) does not process DTDs or
expand custom entities (see docs/validate.md, "Untrusted workbooks").

A refusal is a coded :class:`~udfs.core.errors.InputError`: its code is a key of
:data:`REFUSALS` (``not_zip``, ``ratio``, ...), worded in the language asked for and
re-wordable in the other (``exc.render(lang)``).
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as _SafeET

from udfs.core.errors import InputError
from udfs.core.problems import Problem

MB = 1_000_000

ZIP_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".ods"})
OLE_SUFFIXES = frozenset({".xls"})
WORKBOOK_SUFFIXES = ZIP_SUFFIXES | OLE_SUFFIXES
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Refusal thresholds for untrusted inputs."""

    max_bytes: int = 200 * MB
    """Size of the file on disk."""
    max_uncompressed: int = 4_000 * MB
    """Sum of the decompressed sizes of all zip entries (a 1,048,576-row sheet is ~1 GB)."""
    max_ratio: float = 100.0
    """Decompressed / compressed size of one entry (real sheets stay below ~30)."""
    ratio_floor: int = 5 * MB
    """Entries that decompress to less than this are not ratio-checked."""
    max_entries: int = 10_000

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, with ``CSQ_MAX_INPUT_MB`` overriding the file-size limit."""
        raw = os.environ.get("CSQ_MAX_INPUT_MB", "").strip()
        if not raw:
            return cls()
        try:
            mb = float(raw)
        except ValueError:
            raise _refuse(
                "bad_env", None, value=raw
            ) from None  # a configuration mistake, reported like an input problem
        return cls(max_bytes=int(mb * MB))


REFUSALS: dict[str, tuple[str, str]] = {
    "missing": ("{name}: file not found", "{name}：文件不存在"),
    "not_file": ("{name}: not a file", "{name}：不是文件"),
    "too_big": (
        "{name}: {size} is over the {limit} limit for input files "
        "(set CSQ_MAX_INPUT_MB to raise it)",
        "{name}：文件大小 {size} 超过输入文件上限 {limit}（可用 CSQ_MAX_INPUT_MB 调整）",
    ),
    "bad_env": (
        "CSQ_MAX_INPUT_MB={value!r} is not a number of megabytes",
        "CSQ_MAX_INPUT_MB={value!r} 不是以 MB 为单位的数字",
    ),
    "suffix": (
        "{name}: not a workbook; expected {allowed}",
        "{name}：不是工作簿；支持的格式为 {allowed}",
    ),
    "encrypted_file": (
        "{name}: the workbook is password-protected (encrypted); save a copy without a "
        "password and use that",
        "{name}：工作簿设置了打开密码（已加密）；请另存一份无密码的副本再使用",
    ),
    "not_zip": (
        "{name}: not a valid {suffix} file (it is not a zip archive; was it renamed, or "
        "is it damaged?)",
        "{name}：不是有效的 {suffix} 文件（不是 zip 压缩包；是否被改名或已损坏？）",
    ),
    "not_ole": (
        "{name}: not a valid .xls file (no Excel 97-2003 signature)",
        "{name}：不是有效的 .xls 文件（缺少 Excel 97-2003 文件标识）",
    ),
    "bad_zip": (
        "{name}: damaged zip archive ({detail})",
        "{name}：zip 压缩包已损坏（{detail}）",
    ),
    "entries": (
        "{name}: {count} entries in the archive, more than the {limit} a workbook may have "
        "(suspected zip bomb)",
        "{name}：压缩包内有 {count} 个条目，超过工作簿允许的 {limit} 个（疑似 zip 炸弹）",
    ),
    "encrypted_entry": (
        "{name}: archive entry {entry!r} is encrypted; workbooks must not contain encrypted parts",
        "{name}：压缩包条目 {entry!r} 已加密；工作簿不能包含加密部件",
    ),
    "method": (
        "{name}: archive entry {entry!r} uses compression method {method}, which "
        "workbooks do not use (only stored and deflate are accepted)",
        "{name}：压缩包条目 {entry!r} 使用了压缩方式 {method}，工作簿不会使用"
        "（只接受 stored 和 deflate）",
    ),
    "ratio": (
        "{name}: archive entry {entry!r} expands {ratio:.0f} times (limit {limit:.0f}; "
        "suspected zip bomb)",
        "{name}：压缩包条目 {entry!r} 解压后膨胀 {ratio:.0f} 倍（上限 {limit:.0f}；疑似 zip 炸弹）",
    ),
    "total": (
        "{name}: the archive expands to more than {limit} (suspected zip bomb)",
        "{name}：压缩包解压后超过 {limit}（疑似 zip 炸弹）",
    ),
    "lying": (
        "{name}: archive entry {entry!r} expands beyond the {declared} bytes it declares "
        "(suspected zip bomb)",
        "{name}：压缩包条目 {entry!r} 解压后超过其声明的 {declared} 字节（疑似 zip 炸弹）",
    ),
    "short": (
        "{name}: archive entry {entry!r} is damaged ({detail}); the file cannot be read: "
        "open it in Excel (which may offer to repair it) and save it again, or use an "
        "earlier copy",
        "{name}：压缩包条目 {entry!r} 已损坏（{detail}）；文件无法读取：请用 Excel 打开"
        "（Excel 可能会提示修复）后重新保存，或使用之前的副本",
    ),
    "xls_renamed": (
        "{name}: this is an Excel 97-2003 workbook (.xls) with a {suffix} name, not an "
        "encrypted one; open it in Excel and save it as an Excel Workbook (.xlsx)",
        "{name}：这是扩展名被改为 {suffix} 的 Excel 97-2003 工作簿（.xls），并非加密文件；"
        "请用 Excel 打开并另存为 Excel 工作簿（.xlsx）",
    ),
    "duplicate_entry": (
        "{name}: the archive holds {entry!r} twice; programs disagree on which one is the "
        "workbook's, so it is not read (open it in Excel and save it again)",
        "{name}：压缩包中 {entry!r} 出现两次；不同程序会读取不同的那一个，因此不予读取"
        "（请用 Excel 打开后重新保存）",
    ),
    "utf_sixteen_part": (
        "{name}: XML part {entry!r} is written in UTF-16, which Excel never writes and the "
        "reader cannot read; open the file in Excel and save it again",
        "{name}：XML 部件 {entry!r} 采用 UTF-16 编码，Excel 从不如此写入，读取器无法读取；"
        "请用 Excel 打开后重新保存",
    ),
    "doctype": (
        "{name}: XML part {entry!r} contains a document type declaration (<!DOCTYPE>), "
        "which Excel never writes; refused as a possible XML entity attack",
        "{name}：XML 部件 {entry!r} 含有文档类型声明（<!DOCTYPE>），Excel 从不写入；"
        "疑似 XML 实体攻击，已拒绝",
    ),
}
"""Refusal code -> (English, 简体中文): why a file is not read at all."""


def _refuse(key: str, lang: str | None, **params: object) -> InputError:
    """The refusal ``key`` as a coded error: worded in ``lang``, re-wordable in any."""
    return InputError(Problem(key, params, REFUSALS), lang)


def _size(n: float) -> str:
    return f"{n / MB:,.1f} MB"


def check_size(
    path: str | os.PathLike[str], limits: Limits | None = None, lang: str | None = None
) -> int:
    """Refuse a missing file or one over the size limit; returns the size in bytes."""
    limits = limits or Limits.from_env()
    p = Path(path)
    if not p.exists():
        raise _refuse("missing", lang, name=p)
    if not p.is_file():
        raise _refuse("not_file", lang, name=p)
    size = p.stat().st_size
    if size > limits.max_bytes:
        raise _refuse("too_big", lang, name=p, size=_size(size), limit=_size(limits.max_bytes))
    return size


def read_checked(
    path: str | os.PathLike[str], limits: Limits | None = None, lang: str | None = None
) -> bytes:
    """The bytes of an untrusted workbook after every check; raises ``InputError``.

    Parse these bytes (not the path again), so the checked content is the parsed one.
    """
    limits = limits or Limits.from_env()
    check_size(path, limits, lang)
    data = Path(path).read_bytes()
    check_workbook_bytes(data, str(path), limits, lang)
    return data


def check_workbook_bytes(
    data: bytes, name: str, limits: Limits | None = None, lang: str | None = None
) -> None:
    """All checks on a workbook's bytes (``name`` is used in messages and for its suffix)."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_bytes:
        raise _refuse(
            "too_big", lang, name=name, size=_size(len(data)), limit=_size(limits.max_bytes)
        )
    suffix = Path(name).suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        allowed = ", ".join(sorted(WORKBOOK_SUFFIXES))
        raise _refuse("suffix", lang, name=name, allowed=allowed)
    if suffix in OLE_SUFFIXES:
        if not data.startswith(_OLE_MAGIC):
            raise _refuse("not_ole", lang, name=name)
        return
    if data.startswith(_OLE_MAGIC):  # Office's encrypted package format, or an .xls
        if "EncryptionInfo".encode("utf-16-le") in data[: 1 << 20] or (
            "Workbook".encode("utf-16-le") not in data[: 1 << 20]
            and "Book".encode("utf-16-le") not in data[: 1 << 20]
        ):
            raise _refuse("encrypted_file", lang, name=name)
        raise _refuse("xls_renamed", lang, name=name, suffix=suffix)
    if not data.startswith(_ZIP_MAGIC):
        raise _refuse("not_zip", lang, name=name, suffix=suffix)
    check_zip(data, name, limits, lang)


def check_zip(data: bytes, name: str, limits: Limits, lang: str | None = None) -> None:
    """Zip-bomb checks; every entry is inflated once in bounded chunks and counted."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse("bad_zip", lang, name=name, detail=exc) from None
    if len(infos) > limits.max_entries:
        raise _refuse("entries", lang, name=name, count=len(infos), limit=limits.max_entries)
    names: set[str] = set()
    for info in infos:
        if info.filename in names:
            raise _refuse("duplicate_entry", lang, name=name, entry=info.filename)
        names.add(info.filename)
    declared_total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse("encrypted_entry", lang, name=name, entry=info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse("method", lang, name=name, entry=info.filename, method=info.compress_type)
        declared_total += info.file_size
        _check_ratio(info.filename, info.file_size, info.compress_size, name, limits, lang)
    if declared_total > limits.max_uncompressed:
        raise _refuse("total", lang, name=name, limit=_size(limits.max_uncompressed))
    _check_ratio("*", declared_total, len(data), name, limits, lang)  # many small entries
    for info in infos:
        _inflate_counted(data, info, name, limits, lang)


def _check_ratio(
    entry: str, size: int, packed: int, name: str, limits: Limits, lang: str | None
) -> None:
    if size >= limits.ratio_floor:
        ratio = size / max(packed, 1)
        if ratio > limits.max_ratio:
            raise _refuse(
                "ratio", lang, name=name, entry=entry, ratio=ratio, limit=limits.max_ratio
            )


def _inflate_counted(
    data: bytes, info: zipfile.ZipInfo, name: str, limits: Limits, lang: str | None
) -> None:
    """Inflate one entry from its raw bytes, never producing more than declared + 1 chunk."""
    off = info.header_offset
    if data[off : off + 4] != _ZIP_MAGIC:
        raise _refuse("short", lang, name=name, entry=info.filename, detail="no header")
    name_len, extra_len = struct.unpack("<HH", data[off + 26 : off + 30])
    start = off + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise _refuse("short", lang, name=name, entry=info.filename, detail="truncated data")
    prolog = _Prolog() if info.filename.lower().endswith((".xml", ".rels", ".vml")) else None
    if info.compress_type == zipfile.ZIP_STORED:
        produced = len(raw)
        if prolog is not None:
            prolog.feed(bytes(raw[:_PROLOG_MAX]))
        if produced > info.file_size:
            raise _refuse("lying", lang, name=name, entry=info.filename, declared=info.file_size)
    else:
        d = zlib.decompressobj(-15)
        produced = 0
        pos = 0
        buf = b""
        while True:
            if d.unconsumed_tail:
                buf = d.unconsumed_tail
            elif pos < len(raw):
                buf = bytes(raw[pos : pos + _CHUNK])
                pos += _CHUNK
            else:
                break
            try:
                out = d.decompress(buf, _CHUNK)
            except zlib.error as exc:
                raise _refuse("short", lang, name=name, entry=info.filename, detail=exc) from None
            if prolog is not None:
                prolog.feed(out)
            produced += len(out)
            if produced > info.file_size:
                raise _refuse(
                    "lying", lang, name=name, entry=info.filename, declared=info.file_size
                )
            if d.eof:
                break
    if prolog is not None and prolog.has_doctype():
        raise _refuse("doctype", lang, name=name, entry=info.filename)
    if prolog is not None and prolog.utf16:
        raise _refuse("utf_sixteen_part", lang, name=name, entry=info.filename)


_PROLOG_MAX = 1 << 20
_NAME_START = re.compile(rb"[A-Za-z_:\x80-\xff]")


class _Prolog:
    """Collects an XML part's prolog (everything before the root element's start tag),
    where a document type declaration would have to be.

    The prolog is walked construct by construct -- the XML declaration, processing
    instructions, comments, white space -- so a comment or processing instruction that
    itself contains ``<a`` or ``>`` cannot end the scan before a ``<!DOCTYPE`` that follows
    it.  UTF-16 parts are decoded first.  Anything else before the root element (stray
    text, an unterminated comment, an oversized prolog) is treated like a declaration.
    """

    def __init__(self) -> None:
        self.buf = b""
        self.done = False
        self.doctype = False

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        self.buf += chunk[: _PROLOG_MAX - len(self.buf)]
        end = self._scan(self._text())
        if end is not None:
            self.done = True
        elif len(self.buf) >= _PROLOG_MAX:
            self.done = True
            self.doctype = True  # a megabyte of comments before the root: refuse

    def _text(self) -> bytes:
        b = self.buf
        for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            if b.startswith(bom):
                usable = b[2 : 2 + (len(b) - 2) // 2 * 2]
                return usable.decode(codec, "replace").encode("utf-8")
        return b.removeprefix(b"\xef\xbb\xbf")

    def _scan(self, b: bytes) -> int | None:
        """Position of the root element's ``<``, or None while the prolog is incomplete."""
        i = 0
        while True:
            while i < len(b) and b[i : i + 1] in (b" ", b"\t", b"\r", b"\n"):
                i += 1
            if i >= len(b):
                return None
            if b[i : i + 1] != b"<":
                self.doctype = True  # text before the root element: not a normal part
                return i
            if b.startswith(b"<?", i):
                j = b.find(b"?>", i + 2)
                if j < 0:
                    return None
                i = j + 2
            elif b.startswith(b"<!--", i):
                j = b.find(b"-->", i + 4)
                if j < 0:
                    return None
                i = j + 3
            elif b.startswith(b"<!", i):
                if len(b) - i < 9:
                    return None
                self.doctype = True  # <!DOCTYPE (any case) or another declaration
                return i
            elif len(b) > i + 1:
                if not _NAME_START.match(b, i + 1):
                    self.doctype = True
                return i
            else:
                return None

    @property
    def utf16(self) -> bool:
        """Whether the part is written in UTF-16 (a byte-order mark, or none)."""
        return self.buf.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"))

    def has_doctype(self) -> bool:
        if not self.done:  # the part ended inside its prolog
            self._scan(self._text())
        return self.doctype


def parse_xml(data: bytes | str) -> Any:
    """Parse XML that came from an input file, with DTDs, entities and external
    references refused (defusedxml).  Use this instead of ``xml.etree`` on inputs."""
    return _SafeET.fromstring(data, forbid_dtd=True)
