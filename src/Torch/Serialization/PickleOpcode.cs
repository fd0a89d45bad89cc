// Pickle opcodes, as defined by CPython's Lib/pickle.py (protocols 0-5). All of them are listed so a
// refused opcode can be reported by name; RestrictedUnpickler decides which ones it runs. Member
// names are pickletools' names in PascalCase, with a capital exactly where pickletools has an
// underscore (LongBinget = LONG_BINGET), so the canonical name can be derived for messages.

namespace MlNetRobust.Torch.Serialization;

internal enum PickleOpcode : byte
{
    Mark = (byte)'(',
    Stop = (byte)'.',
    Pop = (byte)'0',
    PopMark = (byte)'1',
    Dup = (byte)'2',
    Float = (byte)'F',
    Int = (byte)'I',
    Binint = (byte)'J',
    Binint1 = (byte)'K',
    Long = (byte)'L',
    Binint2 = (byte)'M',
    None = (byte)'N',
    Persid = (byte)'P',
    Binpersid = (byte)'Q',
    Reduce = (byte)'R',
    String = (byte)'S',
    Binstring = (byte)'T',
    ShortBinstring = (byte)'U',
    Unicode = (byte)'V',
    Binunicode = (byte)'X',
    Append = (byte)'a',
    Build = (byte)'b',
    Global = (byte)'c',
    Dict = (byte)'d',
    EmptyDict = (byte)'}',
    Appends = (byte)'e',
    Get = (byte)'g',
    Binget = (byte)'h',
    Inst = (byte)'i',
    LongBinget = (byte)'j',
    List = (byte)'l',
    EmptyList = (byte)']',
    Obj = (byte)'o',
    Put = (byte)'p',
    Binput = (byte)'q',
    LongBinput = (byte)'r',
    Setitem = (byte)'s',
    Tuple = (byte)'t',
    EmptyTuple = (byte)')',
    Setitems = (byte)'u',
    Binfloat = (byte)'G',
    Proto = 0x80,
    Newobj = 0x81,
    Ext1 = 0x82,
    Ext2 = 0x83,
    Ext4 = 0x84,
    Tuple1 = 0x85,
    Tuple2 = 0x86,
    Tuple3 = 0x87,
    Newtrue = 0x88,
    Newfalse = 0x89,
    Long1 = 0x8a,
    Long4 = 0x8b,
    Binbytes = (byte)'B',
    ShortBinbytes = (byte)'C',
    ShortBinunicode = 0x8c,
    Binunicode8 = 0x8d,
    Binbytes8 = 0x8e,
    EmptySet = 0x8f,
    Additems = 0x90,
    Frozenset = 0x91,
    NewobjEx = 0x92,
    StackGlobal = 0x93,
    Memoize = 0x94,
    Frame = 0x95,
    Bytearray8 = 0x96,
    NextBuffer = 0x97,
    ReadonlyBuffer = 0x98,
}

internal static class PickleOpcodeNames
{
    /// <summary>pickletools' name and the code, e.g. <c>opcode SHORT_BINUNICODE (0x8c)</c>.</summary>
    public static string Describe(byte code)
    {
        if (!Enum.IsDefined((PickleOpcode)code))
        {
            return $"unknown opcode 0x{code:x2}";
        }

        var pascal = ((PickleOpcode)code).ToString();
        var name = new System.Text.StringBuilder(pascal.Length + 2);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                name.Append('_');
            }

            name.Append(char.ToUpperInvariant(pascal[i]));
        }

        return $"opcode {name} (0x{code:x2})";
    }
}
