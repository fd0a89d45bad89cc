using System.Buffers.Binary;

namespace MlNetRobust.Torch.Serialization;

/// <summary>The zip CRC-32 (reflected polynomial 0xEDB88320), table-driven, 8 bytes per step.</summary>
/// <remarks>Hand-written so the library needs no System.IO.Hashing package; .NET 10's ZipArchive
/// neither exposes its CRC code nor checks CRCs when reading, and slicing-by-8 keeps checking a
/// multi-gigabyte state dict from dominating the load time.</remarks>
internal static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        while (data.Length >= 8)
        {
            var low = crc ^ BinaryPrimitives.ReadUInt32LittleEndian(data);
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = s_table[(7 * 256) + (low & 0xff)] ^ s_table[(6 * 256) + ((low >> 8) & 0xff)]
                ^ s_table[(5 * 256) + ((low >> 16) & 0xff)] ^ s_table[(4 * 256) + (low >> 24)]
                ^ s_table[(3 * 256) + (high & 0xff)] ^ s_table[(2 * 256) + ((high >> 8) & 0xff)]
                ^ s_table[256 + ((high >> 16) & 0xff)] ^ s_table[high >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = s_table[(crc ^ b) & 0xff] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        // s_table[k * 256 + n] advances the CRC of byte n through k more zero bytes (slicing-by-8).
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        for (var i = 256; i < table.Length; i++)
        {
            table[i] = Advance(table, table[i - 256]);
        }

        return table;

        static uint Advance(uint[] table, uint previous) => table[previous & 0xff] ^ (previous >> 8);
    }
}
