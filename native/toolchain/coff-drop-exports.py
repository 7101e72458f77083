#!/usr/bin/env python3
"""Removes the export directives a Windows DLL link must not honour from COFF objects and
archives, for zig-wrapper.sh's relink of the win-arm64 libzmq.dll.

Why: zig 0.11 compiles its libunwind for *-windows-gnu with __declspec(dllexport) on the
_Unwind_* / unw_* API, which puts "-export:<name>" directives in the objects' .drectve
sections, and a DLL linking them exports those names. lld's MinGW options cannot take them out:
--exclude-symbols and --exclude-all-symbols act on automatic exports only, and a .def file adds
exports without removing any (tried with lld-link 16 on a two-function DLL). So the relink gets
copies of its inputs whose .drectve no longer names them.

    coff-drop-exports.py --keep <file of name patterns> --dir <folder> <input>...

For each input (a COFF object, or an ar archive of them, as zig's link line names them) prints
one line: the input itself when it exports nothing outside the patterns, else a copy in <folder>
in which each "-export:<name>" (or /EXPORT:) directive whose name matches no pattern is blanked
out with spaces. Same length, so section offsets, archive offsets and the archive symbol table
stay valid; every other directive (-exclude-symbols:, /DEFAULTLIB:, ...) stays. The patterns are
shell globs, one a line (zmq_*). On stderr: what was dropped, per input.
Written from the PE/COFF specification's object and archive layout; reads and writes files only.
"""
import fnmatch
import os
import struct
import sys

BIGOBJ_CLASS_ID = bytes.fromhex("c7a1bad1eebaa94baf20faf66aa4dcb8")


def sections(data, base, size):
    """(name, raw offset, raw size) of each section of the COFF object at data[base:base+size],
    or None when it is not a COFF object (an import library's short import member, or other)."""
    if size < 20:
        return None
    sig1, sig2 = struct.unpack_from("<HH", data, base)
    if sig1 == 0 and sig2 == 0xFFFF:
        version = struct.unpack_from("<H", data, base + 4)[0]
        if version < 2 or size < 56 or data[base + 12:base + 28] != BIGOBJ_CLASS_ID:
            return None  # short import member (IMPORT_OBJECT_HEADER) or unknown
        count = struct.unpack_from("<I", data, base + 44)[0]
        table = base + 56
    else:
        count = struct.unpack_from("<H", data, base + 2)[0]
        optional = struct.unpack_from("<H", data, base + 16)[0]
        table = base + 20 + optional
    if table + 40 * count > base + size:
        return None
    result = []
    for i in range(count):
        header = table + 40 * i
        name = data[header:header + 8].rstrip(b"\0")
        raw_size, raw_offset = struct.unpack_from("<II", data, header + 16)
        if raw_offset + raw_size > size:
            return None
        result.append((name, base + raw_offset, raw_size))
    return result


def tokens(text):
    """(start, end) of each whitespace-separated token, double quotes grouping."""
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in b" \t\r\n\0":
            i += 1
        if i >= n:
            break
        start, quoted = i, False
        while i < n and (quoted or text[i] not in b" \t\r\n\0"):
            if text[i] == 0x22:
                quoted = not quoted
            i += 1
        yield start, i


def export_name(token):
    """The symbol an export directive names, or None for any other directive."""
    t = token.replace(b'"', b"")
    if t[:1] not in (b"-", b"/") or not t[1:8].lower() == b"export:":
        return None
    return t[8:].split(b",")[0].decode("latin-1")


def filter_object(data, base, size, keep, dropped):
    """Blanks unwanted export directives of one object in place; True when it changed."""
    found = sections(data, base, size)
    changed = False
    for name, offset, raw_size in found or ():
        if name != b".drectve":
            continue
        text = bytes(data[offset:offset + raw_size])
        for start, end in tokens(text):
            symbol = export_name(text[start:end])
            if symbol is None or any(fnmatch.fnmatchcase(symbol, p) for p in keep):
                continue
            data[offset + start:offset + end] = b" " * (end - start)
            dropped.append(symbol)
            changed = True
    return changed


def filter_file(path, keep, dropped):
    """The file's bytes with unwanted exports blanked, or None when nothing changed."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    changed = False
    if data.startswith(b"!<thin>\n"):
        raise SystemExit(f"coff-drop-exports: {path}: a thin archive (members outside it); not supported")
    if data.startswith(b"!<arch>\n"):
        offset = 8
        while offset + 60 <= len(data):
            header = data[offset:offset + 60]
            if header[58:60] != b"`\n":
                raise SystemExit(f"coff-drop-exports: {path}: bad archive member header at {offset}")
            size = int(header[48:58].decode("ascii").strip())
            member = header[0:16].rstrip()
            # "/" and "/SYM64/" (symbol tables), "//" (long names): not objects.
            if member not in (b"/", b"//", b"/SYM64/", b"__.SYMDEF", b"__.SYMDEF SORTED"):
                changed |= filter_object(data, offset + 60, size, keep, dropped)
            offset += 60 + size + (size & 1)
    else:
        changed = filter_object(data, 0, len(data), keep, dropped)
    return data if changed else None


def main(argv):
    keep_file = folder = None
    inputs = []
    args = iter(argv)
    for a in args:
        if a == "--keep":
            keep_file = next(args)
        elif a == "--dir":
            folder = next(args)
        else:
            inputs.append(a)
    if not keep_file or not folder:
        print(__doc__, file=sys.stderr)
        return 2
    with open(keep_file) as f:
        keep = [line.strip() for line in f if line.strip()]
    if not keep:
        raise SystemExit(f"coff-drop-exports: {keep_file} names no export patterns")
    for index, path in enumerate(inputs):
        dropped = []
        data = filter_file(path, keep, dropped)
        if data is None:
            print(path)
            continue
        copy = os.path.join(folder, f"{index}-{os.path.basename(path)}")
        with open(copy, "wb") as f:
            f.write(data)
        print(f"coff-drop-exports: {path}: dropped {len(dropped)} exports: {' '.join(sorted(set(dropped)))}",
              file=sys.stderr)
        print(copy)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
