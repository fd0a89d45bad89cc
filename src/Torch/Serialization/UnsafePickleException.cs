namespace MlNetRobust.Torch.Serialization;

/// <summary>
/// A pickle asked for something a state dict never needs (an arbitrary global such as
/// <c>os.system</c>, or an opcode such as INST or NEWOBJ), so the file is refused unread: an
/// unrestricted unpickler would run code from it.
/// </summary>
/// <remarks>
/// <see cref="InvalidDataException"/> is sealed, so this derives from <see cref="IOException"/>;
/// callers that handle unreadable files catch both.
/// </remarks>
public sealed class UnsafePickleException : IOException
{
    public UnsafePickleException(string message)
        : base(message)
    {
    }
}
