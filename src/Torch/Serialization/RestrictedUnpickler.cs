// A pickle interpreter restricted to what torch.save writes for a state dict (pickle protocols 2-5).
// The pickle of a state dict is, in Python terms:
//   OrderedDict([(name, _rebuild_tensor_v2(<persistent id>, storage_offset, size, stride,
//                                          requires_grad, OrderedDict())), ...])
// where <persistent id> (BINPERSID) is ('storage', torch.<Type>Storage, '<key>', '<location>', numel)
// naming the zip record <prefix>/data/<key>, and nn.Module.state_dict() attaches a `_metadata`
// attribute (module versions) to the dict, which the pickle sets with BUILD. Nothing is ever executed: the few allowed globals are recognised by name
// and "calling" one builds a C# value (PyDict, StorageRef, PickledTensor). Every other global and
// every opcode a state dict does not need is refused with UnsafePickleException.

using System.Buffers.Binary;
using System.Text;

namespace MlNetRobust.Torch.Serialization;

/// <summary>A Python dict (or OrderedDict): insertion-ordered, assigning an existing key keeps its place.</summary>
internal sealed class PyDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out var existing))
        {
            _items[existing] = new(key, value);
        }
        else
        {
            _index.Add(key, _items.Count);
            _items.Add(new(key, value));
        }
    }
}

/// <summary>A reference to the storage record <c>&lt;prefix&gt;/data/&lt;Key&gt;</c>.</summary>
internal sealed record StorageRef(ScalarType DType, string Key, string Location, long NumElements);

/// <summary>A strided view into a storage, as <c>_rebuild_tensor_v2</c> describes it.</summary>
internal sealed record PickledTensor(StorageRef Storage, long StorageOffset, long[] Shape, long[] Stride);

internal sealed class RestrictedUnpickler
{
    private enum GlobalKind
    {
        OrderedDict,
        RebuildTensorV2,
        RebuildParameter,
        RebuildParameterWithState,
        Size,
        Storage,
    }

    private sealed record PyGlobal(string Name, GlobalKind Kind, ScalarType StorageDType = default);

    // Declared before s_allowedGlobals, whose initializer reads it.
    /// <summary>The legacy typed-storage classes torch.save names in persistent ids, per dtype.</summary>
    internal static readonly IReadOnlyDictionary<ScalarType, string> StorageTypeNames = new Dictionary<ScalarType, string>
    {
        [ScalarType.Float32] = "FloatStorage",
        [ScalarType.Float64] = "DoubleStorage",
        [ScalarType.Float16] = "HalfStorage",
        [ScalarType.BFloat16] = "BFloat16Storage",
        [ScalarType.Int64] = "LongStorage",
        [ScalarType.Int32] = "IntStorage",
        [ScalarType.Int16] = "ShortStorage",
        [ScalarType.Int8] = "CharStorage",
        [ScalarType.Byte] = "ByteStorage",
        [ScalarType.Bool] = "BoolStorage",
    };

    private static readonly Dictionary<string, PyGlobal> s_allowedGlobals = BuildAllowedGlobals();

    private const string AllowedGlobalsText =
        "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter, " +
        "torch._utils._rebuild_parameter_with_state, torch.Size and torch.<Type>Storage";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _data;
    private readonly string _source;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;
    private int _opcodeStart;

    private RestrictedUnpickler(byte[] data, string source)
    {
        _data = data;
        _source = source;
    }

    /// <summary>Interprets <paramref name="data"/> and returns the pickled root object.</summary>
    /// <param name="data">The pickle.</param>
    /// <param name="source">Where the pickle came from, for messages, e.g. <c>'archive/data.pkl' of 'model.pt'</c>.</param>
    /// <exception cref="UnsafePickleException">A refused global or opcode.</exception>
    /// <exception cref="InvalidDataException">Truncated or malformed pickle.</exception>
    public static object? Unpickle(byte[] data, string source) => new RestrictedUnpickler(data, source).Run();

    private object? Run()
    {
        while (true)
        {
            _opcodeStart = _position;
            if (_position == _data.Length)
            {
                throw new InvalidDataException($"truncated pickle in {_source} at byte {_position}: it ends without a STOP opcode");
            }

            var code = _data[_position++];
            switch ((PickleOpcode)code)
            {
                case PickleOpcode.Proto:
                    var protocol = ReadByte();
                    if (protocol is < 2 or > 5)
                    {
                        throw Malformed($"pickle protocol {protocol} is not supported (torch.save writes 2)");
                    }

                    break;
                case PickleOpcode.Frame:
                    // Frames only tell the reader how much to buffer; the opcodes inside are ordinary.
                    Read(8);
                    break;
                case PickleOpcode.Stop:
                    if (_stack.Count != 1 || _marks.Count != 0)
                    {
                        throw Malformed($"STOP with {_stack.Count} values and {_marks.Count} marks on the stack; expected exactly one value");
                    }

                    return _stack[0];
                case PickleOpcode.Mark:
                    _marks.Push(_stack.Count);
                    break;
                case PickleOpcode.Pop:
                    Pop();
                    break;
                case PickleOpcode.PopMark:
                    PopMark();
                    break;
                case PickleOpcode.None:
                    _stack.Add(null);
                    break;
                case PickleOpcode.Newtrue:
                    _stack.Add(true);
                    break;
                case PickleOpcode.Newfalse:
                    _stack.Add(false);
                    break;
                case PickleOpcode.Binint:
                    _stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Read(4)));
                    break;
                case PickleOpcode.Binint1:
                    _stack.Add((long)ReadByte());
                    break;
                case PickleOpcode.Binint2:
                    _stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Read(2)));
                    break;
                case PickleOpcode.Long1:
                    _stack.Add(ReadLong1());
                    break;
                case PickleOpcode.Binfloat:
                    // The one big-endian field in pickle.
                    _stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Read(8)));
                    break;
                case PickleOpcode.ShortBinunicode:
                    _stack.Add(ReadString(ReadByte()));
                    break;
                case PickleOpcode.Binunicode:
                    _stack.Add(ReadString(BinaryPrimitives.ReadUInt32LittleEndian(Read(4))));
                    break;
                case PickleOpcode.Binunicode8:
                    _stack.Add(ReadString(BinaryPrimitives.ReadUInt64LittleEndian(Read(8))));
                    break;
                case PickleOpcode.EmptyTuple:
                    _stack.Add(Array.Empty<object?>());
                    break;
                case PickleOpcode.Tuple:
                    _stack.Add(PopMark());
                    break;
                case PickleOpcode.Tuple1:
                    _stack.Add(PopMany(1));
                    break;
                case PickleOpcode.Tuple2:
                    _stack.Add(PopMany(2));
                    break;
                case PickleOpcode.Tuple3:
                    _stack.Add(PopMany(3));
                    break;
                case PickleOpcode.EmptyList:
                    _stack.Add(new List<object?>());
                    break;
                case PickleOpcode.EmptyDict:
                    _stack.Add(new PyDict());
                    break;
                case PickleOpcode.Append:
                    var item = Pop();
                    Peek<List<object?>>("a list").Add(item);
                    break;
                case PickleOpcode.Appends:
                    var items = PopMark();
                    Peek<List<object?>>("a list").AddRange(items);
                    break;
                case PickleOpcode.Setitem:
                    var value = Pop();
                    var key = Pop();
                    SetItem(Peek<PyDict>("a dict"), key, value);
                    break;
                case PickleOpcode.Setitems:
                    SetItems();
                    break;
                case PickleOpcode.Binput:
                    Memoize(ReadByte());
                    break;
                case PickleOpcode.LongBinput:
                    Memoize(BinaryPrimitives.ReadUInt32LittleEndian(Read(4)));
                    break;
                case PickleOpcode.Memoize:
                    Memoize(_memo.Count);
                    break;
                case PickleOpcode.Binget:
                    Recall(ReadByte());
                    break;
                case PickleOpcode.LongBinget:
                    Recall(BinaryPrimitives.ReadUInt32LittleEndian(Read(4)));
                    break;
                case PickleOpcode.Global:
                    var module = ReadLine();
                    _stack.Add(ResolveGlobal(module, ReadLine()));
                    break;
                case PickleOpcode.StackGlobal:
                    var name = Pop();
                    _stack.Add(ResolveGlobal(As<string>(Pop(), "a module name"), As<string>(name, "a global name")));
                    break;
                case PickleOpcode.Reduce:
                    var arguments = As<object?[]>(Pop(), "an argument tuple");
                    _stack.Add(Call(As<PyGlobal>(Pop(), "an allowed global"), arguments));
                    break;
                case PickleOpcode.Build:
                    Build(Pop());
                    break;
                case PickleOpcode.Binpersid:
                    _stack.Add(LoadPersistent(Pop()));
                    break;
                default:
                    throw new UnsafePickleException(
                        $"refused {PickleOpcodeNames.Describe(code)} at byte {_opcodeStart} in {_source}: " +
                        "a state-dict file never needs it, so this is not a state dict or it may contain code");
            }
        }
    }

    private object? Call(PyGlobal callable, object?[] arguments)
    {
        switch (callable.Kind)
        {
            case GlobalKind.OrderedDict when arguments.Length == 0:
                return new PyDict();
            case GlobalKind.RebuildTensorV2 when arguments.Length is 6 or 7:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]);
                // requires_grad, the (necessarily empty) hooks and the metadata do not affect the values.
                var storage = As<StorageRef>(arguments[0], "a storage persistent id");
                var shape = AsLongs(arguments[2], "the size tuple");
                var stride = AsLongs(arguments[3], "the stride tuple");
                if (shape.Length != stride.Length)
                {
                    throw Malformed($"_rebuild_tensor_v2 got {shape.Length} sizes but {stride.Length} strides");
                }

                return new PickledTensor(storage, As<long>(arguments[1], "an integer storage offset"), shape, stride);
            case GlobalKind.RebuildParameter when arguments.Length == 3:
            case GlobalKind.RebuildParameterWithState when arguments.Length == 4:
                // (data, requires_grad, backward_hooks[, state]): a Parameter is its data for our purposes.
                return As<PickledTensor>(arguments[0], "a tensor");
            case GlobalKind.Size when arguments.Length == 1:
                AsLongs(arguments[0], "a size tuple");
                return arguments[0];
            default:
                throw Malformed($"{callable.Name} cannot be called with {arguments.Length} arguments in a state dict");
        }
    }

    private void Build(object? state)
    {
        // The only BUILD in a state dict sets attributes (`_metadata`, a dict of {'version': n} dicts
        // per module) on the OrderedDict; they describe the module versions, not the tensors.
        if (Peek<object>("an object") is not PyDict || state is not PyDict)
        {
            throw new UnsafePickleException(
                $"refused BUILD at byte {_opcodeStart} in {_source}: a state dict only sets attributes on its dict, " +
                $"not on {Describe(_stack[^1])}; this file may contain code");
        }
    }

    private StorageRef LoadPersistent(object? id)
    {
        if (id is not object?[] { Length: 5 } fields || fields[0] is not "storage")
        {
            throw Malformed("a persistent id must be ('storage', torch.<Type>Storage, key, location, numel)");
        }

        var type = As<PyGlobal>(fields[1], "a storage type");
        if (type.Kind != GlobalKind.Storage)
        {
            throw Malformed($"persistent id names {type.Name} where a torch.<Type>Storage belongs");
        }

        var numel = As<long>(fields[4], "an integer storage size");
        if (numel < 0)
        {
            throw Malformed($"negative storage size {numel}");
        }

        return new StorageRef(type.StorageDType, As<string>(fields[2], "a storage key"), As<string>(fields[3], "a storage location"), numel);
    }

    private PyGlobal ResolveGlobal(string module, string name)
    {
        var qualified = $"{module}.{name}";
        if (s_allowedGlobals.TryGetValue(qualified, out var allowed))
        {
            return allowed;
        }

        // Storages of other dtypes (complex, quantized, float8) are data, not code: say so plainly.
        if (module == "torch" && name.EndsWith("Storage", StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"unsupported dtype in {_source}: {qualified} is not one of torch.{string.Join(", torch.", StorageTypeNames.Values)}");
        }

        throw new UnsafePickleException(
            $"refused global '{qualified}' in {_source}: a state-dict file may only reference {AllowedGlobalsText}; " +
            "this file may contain code");
    }

    private void SetItems()
    {
        var items = PopMark();
        if (items.Length % 2 != 0)
        {
            throw Malformed($"SETITEMS with an odd number ({items.Length}) of keys and values");
        }

        var dict = Peek<PyDict>("a dict");
        for (var i = 0; i < items.Length; i += 2)
        {
            SetItem(dict, items[i], items[i + 1]);
        }
    }

    private void SetItem(PyDict dict, object? key, object? value)
    {
        if (key is not (string or long or bool or double))
        {
            throw Malformed($"unsupported dict key {Describe(key)}");
        }

        dict.Set(key, value);
    }

    private void Memoize(long index) => _memo[index] = Top();

    private void Recall(long index) =>
        _stack.Add(_memo.TryGetValue(index, out var value) ? value : throw Malformed($"memo slot {index} was never set"));

    private object? Pop()
    {
        var floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor)
        {
            throw Malformed("stack underflow");
        }

        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopMany(int count)
    {
        var floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count - count < floor)
        {
            throw Malformed("stack underflow");
        }

        var values = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return values;
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0)
        {
            throw Malformed("no MARK to pop to");
        }

        var start = _marks.Pop();
        var values = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return values;
    }

    private T Peek<T>(string expected) => As<T>(Top(), expected);

    private object? Top()
    {
        var floor = _marks.Count > 0 ? _marks.Peek() : 0;
        return _stack.Count > floor ? _stack[^1] : throw Malformed("stack underflow");
    }

    private T As<T>(object? value, string expected) =>
        value is T typed ? typed : throw Malformed($"expected {expected}, found {Describe(value)}");

    private long[] AsLongs(object? value, string expected)
    {
        var items = As<object?[]>(value, expected);
        var longs = new long[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            longs[i] = As<long>(items[i], $"integers in {expected}");
        }

        return longs;
    }

    private byte ReadByte() => Read(1)[0];

    private ReadOnlySpan<byte> Read(ulong count)
    {
        var remaining = (ulong)(_data.Length - _position);
        if (count > remaining)
        {
            throw new InvalidDataException(
                $"truncated pickle in {_source} at byte {_data.Length}: {PickleOpcodeNames.Describe(_data[_opcodeStart])} " +
                $"at byte {_opcodeStart} needs {count} more bytes, {remaining} are left");
        }

        var span = _data.AsSpan(_position, (int)count);
        _position += (int)count;
        return span;
    }

    private string ReadString(ulong length)
    {
        try
        {
            return s_strictUtf8.GetString(Read(length));
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("string is not valid UTF-8");
        }
    }

    private string ReadLine()
    {
        var end = _data.AsSpan(_position).IndexOf((byte)'\n');
        if (end < 0)
        {
            throw new InvalidDataException($"truncated pickle in {_source} at byte {_data.Length}: GLOBAL at byte {_opcodeStart} has no end of line");
        }

        var line = ReadString((ulong)end);
        _position++;
        return line;
    }

    private long ReadLong1()
    {
        // LONG1: a length byte, then that many bytes of little-endian two's complement.
        var bytes = Read(ReadByte());
        if (bytes.Length > sizeof(long))
        {
            throw Malformed($"a {bytes.Length}-byte integer does not fit in 64 bits");
        }

        if (bytes.IsEmpty)
        {
            return 0;
        }

        Span<byte> buffer = stackalloc byte[sizeof(long)];
        buffer.Fill((bytes[^1] & 0x80) != 0 ? (byte)0xff : (byte)0);
        bytes.CopyTo(buffer);
        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }

    private InvalidDataException Malformed(string detail) =>
        new($"malformed state-dict pickle in {_source} at byte {_opcodeStart} ({PickleOpcodeNames.Describe(_data[_opcodeStart])}): {detail}");

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        long => "an integer",
        bool => "a bool",
        double => "a float",
        object?[] tuple => $"a {tuple.Length}-tuple",
        List<object?> => "a list",
        PyDict => "a dict",
        PyGlobal global => global.Name,
        StorageRef => "a storage",
        PickledTensor => "a tensor",
        _ => value.GetType().Name,
    };

    private static Dictionary<string, PyGlobal> BuildAllowedGlobals()
    {
        var globals = new Dictionary<string, PyGlobal>();
        void Add(string name, GlobalKind kind, ScalarType dtype = default) => globals.Add(name, new PyGlobal(name, kind, dtype));

        Add("collections.OrderedDict", GlobalKind.OrderedDict);
        Add("torch._utils._rebuild_tensor_v2", GlobalKind.RebuildTensorV2);
        Add("torch._utils._rebuild_parameter", GlobalKind.RebuildParameter);
        Add("torch._utils._rebuild_parameter_with_state", GlobalKind.RebuildParameterWithState);
        Add("torch.Size", GlobalKind.Size);
        foreach (var (dtype, storageType) in StorageTypeNames)
        {
            Add($"torch.{storageType}", GlobalKind.Storage, dtype);
        }

        return globals;
    }
}
