// Writes a zip archive of STORED (uncompressed) entries laid out as PyTorch's own writer
// (caffe2/serialize/inline_container.cc) lays them out: every entry's data starts on a 64-byte
// boundary, reached by padding the local header with an extra field whose id is "FB" and whose
// payload is 'Z' bytes. Unlike PyTorch (miniz streaming mode) we know each entry's CRC and size
// before writing it, so there are no data descriptors; ZIP64 records appear only when an offset,
// size or count outgrows the classic 32/16-bit fields. Times are the DOS epoch (1980-01-01) so the
// output is a function of the input alone.

using System.Buffers.Binary;
using System.Text;

namespace MlNetRobust.Torch.Serialization;

internal sealed class StoredZipWriter(Stream output)
{
    public const int Alignment = 64;

    private const uint LocalHeaderSignature = 0x04034b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64EndOfCentralDirectorySignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const ushort PaddingFieldId = 'F' | ('B' << 8);
    private const ushort Zip64FieldId = 0x0001;
    private const ushort Version20 = 20;
    private const ushort Version45Zip64 = 45;
    private const ushort DosDate1980January1 = (1 << 5) | 1;
    private const int LocalHeaderSize = 30;
    private const int CentralHeaderSize = 46;

    private readonly List<(byte[] Name, uint Crc, uint Size, long Offset)> _entries = [];
    private long _position;

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var crc = Crc32.Compute(data);
        var offset = _position;

        var dataStart = offset + LocalHeaderSize + nameBytes.Length + 4;
        var padding = (int)((Alignment - (dataStart % Alignment)) % Alignment);

        Span<byte> header = stackalloc byte[LocalHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, LocalHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0); // flags
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0); // method: stored
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0); // time
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], DosDate1980January1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], (uint)data.Length); // compressed size
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(4 + padding));
        Write(header);
        Write(nameBytes);

        Span<byte> extra = stackalloc byte[4 + Alignment];
        BinaryPrimitives.WriteUInt16LittleEndian(extra, PaddingFieldId);
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)padding);
        extra[4..].Fill((byte)'Z');
        Write(extra[..(4 + padding)]);

        Write(data);
        _entries.Add((nameBytes, crc, (uint)data.Length, offset));
    }

    /// <summary>Writes the central directory; the archive is complete afterwards.</summary>
    public void Finish()
    {
        var directoryStart = _position;
        Span<byte> header = stackalloc byte[CentralHeaderSize];
        Span<byte> zip64 = stackalloc byte[12];
        foreach (var (name, crc, size, offset) in _entries)
        {
            var offsetInZip64 = offset >= uint.MaxValue;
            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, CentralHeaderSignature);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version45Zip64); // made by
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], offsetInZip64 ? Version45Zip64 : Version20);
            BinaryPrimitives.WriteUInt16LittleEndian(header[14..], DosDate1980January1);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[30..], (ushort)(offsetInZip64 ? 12 : 0));
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], (uint)Math.Min(offset, uint.MaxValue));
            Write(header);
            Write(name);
            if (offsetInZip64)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(zip64, Zip64FieldId);
                BinaryPrimitives.WriteUInt16LittleEndian(zip64[2..], 8);
                BinaryPrimitives.WriteInt64LittleEndian(zip64[4..], offset);
                Write(zip64);
            }
        }

        var directorySize = _position - directoryStart;
        var count = _entries.Count;
        if (count >= ushort.MaxValue || directoryStart >= uint.MaxValue || directorySize >= uint.MaxValue)
        {
            WriteZip64EndRecords(directoryStart, directorySize);
        }

        Span<byte> end = stackalloc byte[22];
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, EndOfCentralDirectorySignature);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)Math.Min(count, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)Math.Min(count, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)Math.Min(directorySize, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)Math.Min(directoryStart, uint.MaxValue));
        Write(end);
    }

    private void WriteZip64EndRecords(long directoryStart, long directorySize)
    {
        var recordStart = _position;
        Span<byte> record = stackalloc byte[56];
        record.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(record, Zip64EndOfCentralDirectorySignature);
        BinaryPrimitives.WriteInt64LittleEndian(record[4..], record.Length - 12); // size of the rest
        BinaryPrimitives.WriteUInt16LittleEndian(record[12..], Version45Zip64);
        BinaryPrimitives.WriteUInt16LittleEndian(record[14..], Version45Zip64);
        BinaryPrimitives.WriteInt64LittleEndian(record[24..], _entries.Count);
        BinaryPrimitives.WriteInt64LittleEndian(record[32..], _entries.Count);
        BinaryPrimitives.WriteInt64LittleEndian(record[40..], directorySize);
        BinaryPrimitives.WriteInt64LittleEndian(record[48..], directoryStart);
        Write(record);

        Span<byte> locator = stackalloc byte[20];
        locator.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(locator, Zip64LocatorSignature);
        BinaryPrimitives.WriteInt64LittleEndian(locator[8..], recordStart);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1); // total number of disks
        Write(locator);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        _position += bytes.Length;
    }
}
