using System.Buffers.Binary;
using System.IO.Compression;
using MlNetRobust.Torch.Serialization;

namespace MlNetRobust.Torch.Tests.Serialization;

public sealed class StateDictFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnr-statedict-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>One tensor of every dtype, plus the shapes that are easy to get wrong.</summary>
    internal static List<KeyValuePair<string, TensorRecord>> Sample() =>
    [
        new("conv.weight", TensorRecord.Create<float>([1.5f, -2.25f, float.NaN, float.NegativeInfinity, -0f, 1e-30f], 2, 3, 1)),
        new("f64", TensorRecord.Create<double>([Math.PI, -1e300], 2)),
        new("f16", TensorRecord.Create<Half>([(Half)0.5, (Half)(-2.25), Half.MaxValue], 3)),
        new("bf16", new TensorRecord(ScalarType.BFloat16, [2], [0x80, 0x3f, 0x00, 0xbf])),
        new("bn.num_batches_tracked", TensorRecord.Create<long>([7L])),
        new("i64", TensorRecord.Create<long>([long.MinValue, long.MaxValue], 2)),
        new("i32", TensorRecord.Create<int>([-5, 6, int.MaxValue, int.MinValue], 2, 2)),
        new("i16", TensorRecord.Create<short>([-300, 300], 2)),
        new("i8", TensorRecord.Create<sbyte>([-128, 127, 0], 3)),
        new("u8", TensorRecord.Create<byte>([0, 255, 7], 3)),
        new("mask", TensorRecord.Create<bool>([true, false, true], 3)),
        new("empty", TensorRecord.Create<float>([], 0, 3)),
        // Empty, but with a dimension too large for BININT: the size is pickled as LONG1.
        new("huge_empty", TensorRecord.Create<float>([], 0, 5_000_000_000)),
        new("names/may contain ünïcode", TensorRecord.Create<float>(Enumerable.Range(0, 300).Select(i => i * 0.5f).ToArray(), 3, 10, 10)),
    ];

    [Fact]
    public void Round_trips_every_dtype_exactly_through_a_file()
    {
        var path = Path.Combine(_folder, "model.pt");
        StateDictFile.Save(Sample(), path);

        Assert.Equal(Sample(), StateDictFile.Load(path));
    }

    [Fact]
    public void Round_trips_through_streams_including_non_seekable_ones()
    {
        var written = new MemoryStream();
        StateDictFile.Save(Sample(), new ForwardOnlyStream(written));

        Assert.Equal(Sample(), StateDictFile.Load(new ForwardOnlyStream(new MemoryStream(written.ToArray()))));
    }

    [Fact]
    public void Round_trips_an_empty_state_dict()
    {
        var stream = new MemoryStream();
        StateDictFile.Save([], stream);
        stream.Position = 0;

        Assert.Empty(StateDictFile.Load(stream));
    }

    [Fact]
    public void Round_trips_more_tensors_than_fit_in_one_pickle_batch()
    {
        // Python's pickler writes SETITEMS in batches of 1000 and a lone SETITEM for a batch of one.
        var many = Enumerable.Range(0, 1001)
            .Select(i => new KeyValuePair<string, TensorRecord>($"layer{i}.bias", TensorRecord.Create<int>([i])))
            .ToList();
        var stream = new MemoryStream();
        StateDictFile.Save(many, stream);
        stream.Position = 0;

        Assert.Equal(many, StateDictFile.Load(stream));
    }

    [Fact]
    public void Writes_the_records_torch_save_writes_stored_and_aligned_to_64_bytes()
    {
        var stream = new MemoryStream();
        StateDictFile.Save(Sample().Take(3), stream);
        var bytes = stream.ToArray();

        using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(
            ["archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1", "archive/data/2", "archive/version"],
            archive.Entries.Select(entry => entry.FullName));
        Assert.Equal("3\n"u8.ToArray(), CraftedFiles.Records(bytes)["archive/version"]);
        Assert.Equal(Sample()[1].Value.Data, CraftedFiles.Records(bytes)["archive/data/1"]);

        // Walk the local headers: method 0 (stored), and every record's data on a 64-byte boundary.
        var offset = 0;
        foreach (var entry in archive.Entries)
        {
            var header = bytes.AsSpan(offset);
            Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(header));
            Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(header[8..]));
            var dataStart = offset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(header[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            Assert.True(dataStart % 64 == 0, $"{entry.FullName} starts at {dataStart}");
            offset = dataStart + (int)entry.CompressedLength;
        }
    }

    [Fact]
    public void Writes_identical_bytes_for_identical_state_dicts()
    {
        var first = new MemoryStream();
        var second = new MemoryStream();
        StateDictFile.Save(Sample(), first);
        StateDictFile.Save(Sample(), second);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Saving_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_folder, "model.pt");
        StateDictFile.Save(Sample(), path);
        StateDictFile.Save(Sample().Take(1), path);

        Assert.Single(StateDictFile.Load(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_rejected_state_dict_leaves_the_existing_file_untouched()
    {
        var path = Path.Combine(_folder, "model.pt");
        StateDictFile.Save(Sample(), path);
        var before = File.ReadAllBytes(path);
        var duplicated = Sample().Take(2).Append(Sample()[0]);

        var error = Assert.Throws<ArgumentException>(() => StateDictFile.Save(duplicated, path));

        Assert.Contains("'conv.weight' appears twice", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_tensor_record_rejects_data_that_does_not_match_its_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new TensorRecord(ScalarType.Float32, [2, 3], new byte[20]));

        Assert.Contains("needs 24 bytes", error.Message);
        Assert.Contains("has 20", error.Message);
        Assert.Throws<ArgumentException>(() => new TensorRecord(ScalarType.Float32, [-1], []));
    }

    [Fact]
    public void A_tensor_record_reads_its_elements_only_as_its_own_dtype()
    {
        var record = TensorRecord.Create<float>([1f, 2f], 2);

        Assert.Equal([1f, 2f], record.AsSpan<float>().ToArray());
        Assert.Throws<InvalidOperationException>(() => record.AsSpan<int>().ToArray());
    }

    /// <summary>A stream that can only move forward, like a pipe or a network stream.</summary>
    private sealed class ForwardOnlyStream(MemoryStream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
