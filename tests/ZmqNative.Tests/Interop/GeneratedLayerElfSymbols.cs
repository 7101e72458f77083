using System.Buffers.Binary;
using System.Text;

namespace ZmqNative.Tests.Interop;

/// <summary>
/// Reads the functions a shared library exports from its ELF dynamic symbol table (what <c>nm -D --defined-only</c>
/// lists with type T), so the test needs no binutils. 64-bit little-endian ELF only (linux-x64, linux-arm64).
/// </summary>
internal static class GeneratedLayerElfSymbols
{
    private const uint SectionTypeDynamicSymbols = 11; // SHT_DYNSYM
    private const int SymbolTypeFunction = 2;          // STT_FUNC
    private const int BindingGlobal = 1;               // STB_GLOBAL
    private const int BindingWeak = 2;                 // STB_WEAK

    /// <summary>The names of the defined, global or weak, function symbols of <paramref name="path"/>'s .dynsym.</summary>
    public static IReadOnlyList<string> ExportedFunctions(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 64 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF file");
        }

        if (file[4] != 2 || file[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file (class {file[4]}, data {file[5]})");
        }

        ulong sectionTableOffset = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0x28));
        int sectionEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3A));
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(0x3C));

        var names = new List<string>();
        for (int i = 0; i < sectionCount; i++)
        {
            ReadOnlySpan<byte> section = file.AsSpan(checked((int)sectionTableOffset + (i * sectionEntrySize)), sectionEntrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(section[4..]) != SectionTypeDynamicSymbols)
            {
                continue;
            }

            int symbolsOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(section[24..]));
            int symbolsSize = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(section[32..]));
            int stringSection = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(section[40..]));
            int symbolSize = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(section[56..]));
            ReadOnlySpan<byte> strings = file.AsSpan(checked((int)sectionTableOffset + (stringSection * sectionEntrySize)), sectionEntrySize);
            int stringsOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(strings[24..]));

            for (int offset = symbolsOffset; offset + symbolSize <= symbolsOffset + symbolsSize; offset += symbolSize)
            {
                ReadOnlySpan<byte> symbol = file.AsSpan(offset, symbolSize);
                uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(symbol);
                byte info = symbol[4];
                ushort sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(symbol[6..]);
                int binding = info >> 4;
                if (sectionIndex == 0 || (info & 0xF) != SymbolTypeFunction || (binding != BindingGlobal && binding != BindingWeak))
                {
                    continue;
                }

                ReadOnlySpan<byte> name = file.AsSpan(stringsOffset + (int)nameOffset);
                names.Add(Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]));
            }
        }

        return names;
    }
}
