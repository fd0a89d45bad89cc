using MlNetRobust.Torch.Serialization;
using static MlNetRobust.Torch.Tests.Serialization.CraftedFiles;

namespace MlNetRobust.Torch.Tests.Serialization;

/// <summary>Crafted files: pickles that try to run code, and archives that are inconsistent.</summary>
public sealed class HostileFileTests
{
    private static readonly byte[] s_twoFloats = new byte[8];

    public static TheoryData<string, byte[], string> RefusedPickles => new()
    {
        {
            "eval through STACK_GLOBAL (protocol 4)",
            Concat([0x80, 4], Str("builtins"), Str("eval"), StackGlobal, Str("1+1"), Tuple1, Reduce, Stop),
            "refused global 'builtins.eval'"
        },
        {
            "a torch global that is not a rebuild function",
            Concat(Proto2, Global("torch", "load"), Str("x"), Tuple1, Reduce, Stop),
            "refused global 'torch.load'"
        },
        {
            "INST, which imports and calls in one opcode",
            Concat(Proto2, Mark, "ios\nsystem\n"u8.ToArray(), Stop),
            "refused opcode INST (0x69) at byte 3"
        },
        {
            "OBJ",
            Concat(Proto2, Mark, Global("collections", "OrderedDict"), [(byte)'o'], Stop),
            "refused opcode OBJ (0x6f)"
        },
        {
            "NEWOBJ",
            Concat(Proto2, Global("collections", "OrderedDict"), EmptyTuple, [0x81], Stop),
            "refused opcode NEWOBJ (0x81)"
        },
        {
            "an extension-registry reference",
            Concat(Proto2, [0x82, 1], Stop),
            "refused opcode EXT1 (0x82)"
        },
        {
            "an opcode pickle does not define",
            Concat(Proto2, [0xff], Stop),
            "refused unknown opcode 0xff"
        },
        {
            "BUILD on something other than the dict",
            Concat(Proto2, Global("torch", "FloatStorage"), EmptyDict, Build, Stop),
            "refused BUILD"
        },
    };

    [Theory]
    [MemberData(nameof(RefusedPickles))]
    public void Refuses_pickles_that_reference_code_or_use_opcodes_a_state_dict_never_needs(string why, byte[] pickle, string message)
    {
        var error = Assert.Throws<UnsafePickleException>(() => StateDictFile.Load(TorchZip(pickle)));

        Assert.True(error.Message.Contains(message, StringComparison.Ordinal), $"{why}: {error.Message}");
        Assert.Contains("'archive/data.pkl' of the stream", error.Message);
    }

    [Fact]
    public void Accepts_a_state_dict_whose_pickle_uses_only_the_allowed_subset()
    {
        var pickle = StateDict("w", Tensor("FloatStorage", "0", 2, 0, [2], [1]));

        var loaded = Assert.Single(StateDictFile.Load(TorchZip(pickle, ("0", s_twoFloats))));

        Assert.Equal("w", loaded.Key);
        Assert.Equal([2L], loaded.Value.Shape);
    }

    [Fact]
    public void Rejects_an_unsupported_dtype_as_data_not_as_code()
    {
        var pickle = StateDict("z", Tensor("ComplexFloatStorage", "0", 1, 0, [1], [1]));

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(TorchZip(pickle, ("0", s_twoFloats))));

        Assert.StartsWith("unsupported dtype in 'archive/data.pkl' of the stream: torch.ComplexFloatStorage is not one of torch.FloatStorage", error.Message);
    }

    [Fact]
    public void Rejects_a_view_that_reaches_past_the_end_of_its_storage()
    {
        var pickle = StateDict("w", Tensor("FloatStorage", "0", 2, 1, [2], [1]));

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(TorchZip(pickle, ("0", s_twoFloats))));

        Assert.Contains("tensor 'w'", error.Message);
        Assert.Contains("reaches element 2 of storage 'archive/data/0', which holds only 2 Float32 elements", error.Message);
    }

    [Fact]
    public void Rejects_a_storage_record_shorter_than_the_pickle_declares()
    {
        var pickle = StateDict("w", Tensor("FloatStorage", "0", 2, 0, [2], [1]));

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(TorchZip(pickle, ("0", new byte[5]))));

        Assert.Equal(
            "storage record 'archive/data/0' of the stream holds 5 bytes, but tensor 'w' declares it as 2 Float32 elements of 4 bytes",
            error.Message);
    }

    [Fact]
    public void Rejects_a_record_whose_crc_does_not_match_its_bytes()
    {
        var stream = new MemoryStream();
        StateDictFile.Save([new("w", TensorRecord.Create<long>([0x1122334455667788]))], stream);
        var bytes = stream.ToArray();
        var at = bytes.AsSpan().IndexOf(BitConverter.GetBytes(0x1122334455667788L));
        bytes[at] ^= 1;

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(new MemoryStream(bytes)));

        Assert.Equal("'archive/data/0' of the stream fails its CRC-32 check: the file is corrupt", error.Message);
    }

    [Theory]
    [InlineData("archive/../../etc/passwd")]
    [InlineData("/archive/data/0")]
    [InlineData("C:\\archive\\data\\0")]
    public void Rejects_archives_with_entry_names_that_escape_their_folder(string name)
    {
        var zip = Zip(("archive/data.pkl", StateDict("w", Tensor("FloatStorage", "0", 2, 0, [2], [1]))), (name, s_twoFloats));

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(zip));

        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("crafted archive", error.Message);
    }

    [Fact]
    public void Rejects_a_checkpoint_that_is_not_a_plain_state_dict()
    {
        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(TorchZip(StateDict("epoch", Int(3)))));

        Assert.Contains("'epoch' in the stream is an integer, not a tensor", error.Message);
    }

    [Fact]
    public void Rejects_a_torchscript_archive_with_a_pointer_to_state_dicts()
    {
        var zip = Zip(("model/data.pkl", Concat(Proto2, EmptyDict, Stop)), ("model/code/__torch__.py", "x"u8.ToArray()));

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(zip));

        Assert.Contains("TorchScript archive", error.Message);
    }

    [Fact]
    public void Rejects_a_file_that_is_not_a_zip()
    {
        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(new MemoryStream("hello"u8.ToArray())));

        Assert.Equal("the stream is not a torch.save zip archive: it does not start with a zip header", error.Message);
    }

    [Fact]
    public void Rejects_a_pickle_that_ends_without_stop()
    {
        var pickle = StateDict("w", Tensor("FloatStorage", "0", 2, 0, [2], [1]));

        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Load(TorchZip(pickle[..^1], ("0", s_twoFloats))));

        Assert.Equal($"truncated pickle in 'archive/data.pkl' of the stream at byte {pickle.Length - 1}: it ends without a STOP opcode", error.Message);
    }
}
