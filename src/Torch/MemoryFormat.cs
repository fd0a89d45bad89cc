namespace MlNetRobust.Torch;

/// <summary>
/// How a 4-d tensor's elements are laid out in memory (PyTorch's <c>torch.memory_format</c>). The logical shape
/// stays [N, C, H, W] either way; only the strides differ.
/// </summary>
public enum MemoryFormat
{
    /// <summary>Row-major NCHW: the default, and what data pointers and state dicts expect.</summary>
    Contiguous = 0,

    /// <summary>NHWC strides: oneDNN's native layout, where CPU convolutions skip their reorders.</summary>
    ChannelsLast = 1,
}
