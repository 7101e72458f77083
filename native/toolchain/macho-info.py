#!/usr/bin/env python3
"""Prints what check-library.sh checks in a thin 64-bit Mach-O file, one "key value" a line:
arch, filetype, minos, sdk (LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX), id (LC_ID_DYLIB),
dylib (each LC_LOAD_DYLIB / weak / reexport), signature (from LC_CODE_SIGNATURE: "adhoc" when
the CodeDirectory has CS_ADHOC, else "signed", with its flags, and whether the CodeDirectory's
page hashes match the file; nothing when unsigned).
Reads the file only (written here from Apple's published <mach-o/loader.h> layout and the
code signing blob layout), so it runs on any machine.
    macho-info.py <file>
"""
import hashlib
import struct
import sys

CPU = {0x01000007: "x86_64", 0x0100000C: "arm64"}
FILETYPE = {1: "object", 2: "execute", 6: "dylib", 8: "bundle"}
LC_ID_DYLIB, LC_LOAD_DYLIB, LC_CODE_SIGNATURE = 0x0D, 0x0C, 0x1D
LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB = 0x80000018, 0x8000001F
LC_VERSION_MIN_MACOSX, LC_BUILD_VERSION = 0x24, 0x32
CSMAGIC_EMBEDDED_SIGNATURE, CSMAGIC_CODEDIRECTORY = 0xFADE0CC0, 0xFADE0C02
CS_ADHOC, CS_LINKER_SIGNED = 0x2, 0x20000


def version(v):
    text = f"{v >> 16}.{(v >> 8) & 0xFF}"
    return text + (f".{v & 0xFF}" if v & 0xFF else "")


def cstring(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode()


def main(path):
    data = open(path, "rb").read()
    magic, cputype, _sub, filetype, ncmds, _size, _flags, _res = struct.unpack_from("<8I", data, 0)
    if magic != 0xFEEDFACF:
        sys.exit(f"{path}: not a thin 64-bit little-endian Mach-O file (magic {magic:#x})")
    print("arch", CPU.get(cputype, hex(cputype)))
    print("filetype", FILETYPE.get(filetype, str(filetype)))
    offset = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<2I", data, offset)
        if cmd == LC_BUILD_VERSION:
            _platform, minos, sdk = struct.unpack_from("<3I", data, offset + 8)
            print("minos", version(minos))
            print("sdk", version(sdk))
        elif cmd == LC_VERSION_MIN_MACOSX:
            minos, sdk = struct.unpack_from("<2I", data, offset + 8)
            print("minos", version(minos))
            print("sdk", version(sdk))
        elif cmd in (LC_ID_DYLIB, LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB):
            name_offset = struct.unpack_from("<I", data, offset + 8)[0]
            print("id" if cmd == LC_ID_DYLIB else "dylib", cstring(data, offset + name_offset))
        elif cmd == LC_CODE_SIGNATURE:
            dataoff, datasize = struct.unpack_from("<2I", data, offset + 8)
            print("signature", signature(data[dataoff:dataoff + datasize], data))
        offset += size


def page_hashes(blob, off, data):
    # The CodeDirectory holds one hash per page of the file up to codeLimit; macOS checks them
    # as pages are mapped, so a file changed after signing (stripped, patched) is killed.
    hash_offset = struct.unpack_from(">I", blob, off + 16)[0]
    code_slots, code_limit = struct.unpack_from(">2I", blob, off + 28)
    hash_size, hash_type, _platform, page_log2 = struct.unpack_from(">4B", blob, off + 36)
    algorithm = {1: "sha1", 2: "sha256"}.get(hash_type)
    if algorithm is None:
        return f"hash type {hash_type} not checked"
    page = 1 << page_log2
    for i in range(code_slots):
        expected = blob[off + hash_offset + i * hash_size:off + hash_offset + (i + 1) * hash_size]
        actual = hashlib.new(algorithm, data[i * page:min((i + 1) * page, code_limit)]).digest()
        if actual[:hash_size] != expected:
            return f"PAGE HASH MISMATCH at page {i} of {code_slots}"
    return f"{code_slots} page hashes ({algorithm}) match"


def signature(blob, data):
    # The signature blobs are big-endian: a SuperBlob indexing a CodeDirectory (and, for a
    # real identity, a CMS blob); ad-hoc means CS_ADHOC in the CodeDirectory and no CMS.
    magic, _length, count = struct.unpack_from(">3I", blob, 0)
    if magic != CSMAGIC_EMBEDDED_SIGNATURE:
        return f"unknown blob {magic:#x}"
    index = [struct.unpack_from(">2I", blob, 12 + 8 * i) for i in range(count)]
    kinds = [kind for kind, _ in index]
    result = "no code directory"
    for _kind, off in index:
        if struct.unpack_from(">I", blob, off)[0] == CSMAGIC_CODEDIRECTORY:
            flags = struct.unpack_from(">I", blob, off + 12)[0]
            ident = cstring(blob, off + struct.unpack_from(">I", blob, off + 20)[0])
            adhoc = flags & CS_ADHOC and 0x10000 not in kinds
            result = f"{'adhoc' if adhoc else 'signed'} flags {flags:#x}{' linker-signed' if flags & CS_LINKER_SIGNED else ''} identifier {ident}, {page_hashes(blob, off, data)}"
    return result


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: macho-info.py <file>")
    main(sys.argv[1])
