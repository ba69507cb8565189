"""MS-OVBA compression and the compound-file writer, checked against independent readers
(oletools' decompress_stream, olefile)."""

from __future__ import annotations

import io

import olefile
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from addin.excel import cfb, ovba

VBA_LIKE = st.text(
    alphabet=st.sampled_from(list("Sub End Function If Then x = 1 ( ) \" ' \r\n ABCxyz")),
    max_size=12000,
).map(lambda s: s.encode("cp1252"))


@settings(max_examples=60, deadline=None)
@given(VBA_LIKE)
def test_compressed_text_round_trips_through_oletools(data):
    packed = ovba.compress(data)
    assert bytes(decompress_stream(bytearray(packed))) == data
    assert ovba.decompress(packed) == data


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=9000))
def test_any_bytes_round_trip(data):
    packed = ovba.compress(data)
    # an incompressible partial chunk is stored raw and padded to 4096 (MS-OVBA 2.4.1.3.10)
    assert bytes(decompress_stream(bytearray(packed)))[: len(data)] == data


def test_repetitive_source_is_actually_compressed():
    src = b'Function CSQ_X(a)\r\n    CSQ_X = XLPy.CallUDF("udfs.functions", "CSQ_X")\r\n' * 200
    packed = ovba.compress(src)
    assert len(packed) < len(src) / 5
    assert packed[0] == 1  # container signature


def test_compound_file_reads_back_with_olefile():
    big = bytes(range(256)) * 40  # 10240 bytes: regular sectors
    edge = b"x" * 4096  # exactly the cutoff: regular sectors
    small = b"y" * 4095  # just under: mini stream
    tree = {
        "PROJECT": b"ID=x\r\n",
        "Empty": b"",
        "VBA": {"dir": small, "xlwings": big, "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x01\x00"},
        "Edge": edge,
    }
    ole = olefile.OleFileIO(io.BytesIO(cfb.write(tree)))
    assert ole.openstream("PROJECT").read() == b"ID=x\r\n"
    assert ole.openstream("VBA/dir").read() == small
    assert ole.openstream("VBA/xlwings").read() == big
    assert ole.openstream("Edge").read() == edge
    assert ole.openstream("VBA/_VBA_PROJECT").read() == tree["VBA"]["_VBA_PROJECT"]
    assert ole.get_size("Empty") == 0
    assert sorted("/".join(p) for p in ole.listdir(storages=True)) == [
        "Edge",
        "Empty",
        "PROJECT",
        "VBA",
        "VBA/_VBA_PROJECT",
        "VBA/dir",
        "VBA/xlwings",
    ]


def test_compound_file_is_deterministic_and_sector_aligned():
    tree = {"A": b"1" * 5000, "B": {"C": b"2" * 100}}
    one, two = cfb.write(tree), cfb.write(dict(reversed(list(tree.items()))))
    assert one == two
    assert len(one) % 512 == 0 and one[:8] == bytes.fromhex("D0CF11E0A1B11AE1")


def _check_red_black(ole, sid):
    """Sibling tree under ``sid``: search order, black root, no red-red, equal black height."""
    entries = ole.direntries

    def key(e):
        return (len(e.name), e.name.upper())

    def walk(i, lo, hi, parent_red):
        if i == olefile.NOSTREAM:
            return 1
        e = entries[i]
        assert (lo is None or key(entries[lo]) < key(e)) and (
            hi is None or key(e) < key(entries[hi])
        )
        red = e.color == 0
        assert not (red and parent_red)
        left = walk(e.sid_left, lo, i, red)
        right = walk(e.sid_right, i, hi, red)
        assert left == right
        return left + (0 if red else 1)

    root = entries[sid].sid_child
    if root != olefile.NOSTREAM:
        assert entries[root].color == 1
        walk(root, None, None, False)


@settings(max_examples=25, deadline=None)
@given(st.sets(st.text(alphabet="abcXYZ_1", min_size=1, max_size=8), min_size=1, max_size=40))
def test_directory_is_a_valid_red_black_tree(names):
    tree = {n: n.encode() for n in names}
    tree["VBA"] = {n: b"x" for n in list(names)[:7]} if "VBA" not in names else {}
    ole = olefile.OleFileIO(io.BytesIO(cfb.write(tree)))
    _check_red_black(ole, 0)
    for i, e in enumerate(ole.direntries):
        if e is not None and e.entry_type == olefile.STGTY_STORAGE:
            _check_red_black(ole, i)


def _template_streams():
    import zipfile

    from addin.excel.xlam import template_path

    with zipfile.ZipFile(template_path()) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    return {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}


def test_dir_stream_survives_a_rewrite():
    streams = _template_streams()
    d = ovba.DirStream.parse(streams["VBA/dir"])
    assert [m.name for m in d.modules] == [
        "ThisWorkbook",
        "Dictionary",
        "RibbonMyAddin",
        "Sheet2",
        "xlwings",
    ]
    assert d.codepage == 1252
    again = ovba.DirStream.parse(ovba.compress(d.to_bytes()))
    assert again.head == d.head
    assert [(m.name, m.procedural, m.offset) for m in again.modules] == [
        (m.name, m.procedural, m.offset) for m in d.modules
    ]
    # the original's bytes, apart from the cookies that readers must ignore (0xFFFF here)
    original = ovba.decompress(streams["VBA/dir"])
    assert len(original) == len(d.to_bytes())


def test_project_stream_lists_new_and_renamed_modules():
    text = 'ID="{X}"\r\nModule=Old\r\nName="P"\r\n\r\n[Workspace]\r\nOld=1, 1, 1, 1, C'
    mods = [ovba.Module("New1", True), ovba.Module("Added", True), ovba.Module("Cls", False)]
    out = ovba.project_text(text, mods, "Q", {"Old": "New1"}).split("\r\n")
    assert out[:6] == ['ID="{X}"', "Module=New1", "Module=Added", "Class=Cls", 'Name="Q"', ""]
    assert out[-3:] == ["New1=1, 1, 1, 1, C", "Added=0, 0, 0, 0, C", "Cls=0, 0, 0, 0, C"]
