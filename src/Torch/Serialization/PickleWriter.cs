// Writes the data.pkl record of a torch.save zip for a state dict: the protocol-2 pickle that
// Python's torch.save(state_dict) writes, opcode for opcode apart from memo numbering:
//   PROTO 2
//   GLOBAL 'collections OrderedDict'  EMPTY_TUPLE  REDUCE                      -> the dict
//   MARK  (name, tensor) pairs ... SETITEMS                                     (batches of 1000, as pickle does)
//   STOP
// and each tensor is
//   GLOBAL 'torch._utils _rebuild_tensor_v2'
//   MARK
//     MARK 'storage' GLOBAL 'torch FloatStorage' '<key>' 'cpu' numel TUPLE BINPERSID
//     storage_offset (0)  size tuple  stride tuple  NEWFALSE (requires_grad)
//     GLOBAL 'collections OrderedDict' EMPTY_TUPLE REDUCE (backward_hooks)
//   TUPLE REDUCE
// The persistent id names the zip record <prefix>/data/<key>. Each global is written once and
// recalled from the memo afterwards, which is what keeps Python's pickles small; nothing else is
// memoized because nothing else is referenced twice.

using System.Buffers.Binary;
using System.Text;

namespace MlNetRobust.Torch.Serialization;

/// <summary>One tensor to pickle: its name, and the storage record that holds its elements.</summary>
internal readonly record struct PickledEntry(string Name, ScalarType DType, long[] Shape, string StorageKey);

internal sealed class PickleWriter
{
    // pickle.Pickler._BATCHSIZE: Python splits SETITEMS into runs of this many pairs.
    private const int BatchSize = 1000;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MemoryStream _output = new();
    private readonly Dictionary<string, byte> _memo = [];

    private PickleWriter()
    {
    }

    public static byte[] WriteStateDict(IReadOnlyList<PickledEntry> entries)
    {
        var writer = new PickleWriter();
        writer.Op(PickleOpcode.Proto);
        writer._output.WriteByte(2);
        writer.WriteOrderedDict();
        foreach (var batch in entries.Chunk(BatchSize))
        {
            if (batch.Length > 1)
            {
                writer.Op(PickleOpcode.Mark);
            }

            foreach (var entry in batch)
            {
                writer.WriteString(entry.Name);
                writer.WriteTensor(entry);
            }

            writer.Op(batch.Length > 1 ? PickleOpcode.Setitems : PickleOpcode.Setitem);
        }

        writer.Op(PickleOpcode.Stop);
        return writer._output.ToArray();
    }

    private void WriteTensor(PickledEntry entry)
    {
        WriteGlobal("torch._utils", "_rebuild_tensor_v2");
        Op(PickleOpcode.Mark);

        Op(PickleOpcode.Mark);
        WriteString("storage");
        WriteGlobal("torch", RestrictedUnpickler.StorageTypeNames[entry.DType]);
        WriteString(entry.StorageKey);
        WriteString("cpu");
        WriteInt(NumElements(entry.Shape));
        Op(PickleOpcode.Tuple);
        Op(PickleOpcode.Binpersid);

        WriteInt(0);
        WriteTuple(entry.Shape);
        WriteTuple(ContiguousStrides(entry.Shape));
        Op(PickleOpcode.Newfalse);
        WriteOrderedDict();

        Op(PickleOpcode.Tuple);
        Op(PickleOpcode.Reduce);
    }

    private void WriteOrderedDict()
    {
        WriteGlobal("collections", "OrderedDict");
        Op(PickleOpcode.EmptyTuple);
        Op(PickleOpcode.Reduce);
    }

    private void WriteGlobal(string module, string name)
    {
        var key = $"{module}\n{name}\n";
        if (_memo.TryGetValue(key, out var slot))
        {
            Op(PickleOpcode.Binget);
            _output.WriteByte(slot);
            return;
        }

        // At most 12 distinct globals (OrderedDict, _rebuild_tensor_v2, 10 storage types), so a
        // one-byte BINPUT slot always suffices.
        slot = (byte)_memo.Count;
        _memo.Add(key, slot);
        Op(PickleOpcode.Global);
        _output.Write(Encoding.ASCII.GetBytes(key));
        Op(PickleOpcode.Binput);
        _output.WriteByte(slot);
    }

    private void WriteString(string value)
    {
        var bytes = s_strictUtf8.GetBytes(value);
        Op(PickleOpcode.Binunicode);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        _output.Write(length);
        _output.Write(bytes);
    }

    private void WriteTuple(long[] values)
    {
        if (values.Length == 0)
        {
            Op(PickleOpcode.EmptyTuple);
            return;
        }

        if (values.Length > 3)
        {
            Op(PickleOpcode.Mark);
        }

        foreach (var value in values)
        {
            WriteInt(value);
        }

        Op(values.Length switch
        {
            1 => PickleOpcode.Tuple1,
            2 => PickleOpcode.Tuple2,
            3 => PickleOpcode.Tuple3,
            _ => PickleOpcode.Tuple,
        });
    }

    /// <summary>The smallest encoding, chosen as pickle.Pickler.save_long does.</summary>
    private void WriteInt(long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        if (value is >= 0 and <= byte.MaxValue)
        {
            Op(PickleOpcode.Binint1);
            _output.WriteByte((byte)value);
        }
        else if (value is >= 0 and <= ushort.MaxValue)
        {
            Op(PickleOpcode.Binint2);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)value);
            _output.Write(buffer[..2]);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            Op(PickleOpcode.Binint);
            BinaryPrimitives.WriteInt32LittleEndian(buffer, (int)value);
            _output.Write(buffer[..4]);
        }
        else
        {
            // LONG1: minimal little-endian two's complement. Shapes reach this only when another
            // dimension is 0 (a [0, 5e9] tensor is legal and empty).
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
            var length = 8;
            while (length > 1 && buffer[length - 1] == (value < 0 ? 0xff : 0) && (buffer[length - 2] & 0x80) == (value < 0 ? 0x80 : 0))
            {
                length--;
            }

            Op(PickleOpcode.Long1);
            _output.WriteByte((byte)length);
            _output.Write(buffer[..length]);
        }
    }

    private void Op(PickleOpcode opcode) => _output.WriteByte((byte)opcode);

    private static long NumElements(long[] shape) => shape.Aggregate(1L, (product, dimension) => product * dimension);

    /// <summary>Row-major strides as torch computes them: a size-0 or size-1 dimension counts as 1.</summary>
    internal static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }

        return strides;
    }
}
