using System.Runtime.InteropServices;
using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

/// <summary>The container format an encoded image was recognised as (from its signature, not its name).</summary>
public enum ImageFileFormat
{
    Unknown = 0,
    Jpeg = 1,
    Png = 2,
    Bmp = 3,
    Gif = 4,
    /// <summary>Another format stb_image reads (PNM, PSD, PIC).</summary>
    Other = 5,
}

/// <summary>The colour mode an image had in its file, before decoding.</summary>
public enum ImageColorMode
{
    Unknown = 0,
    Gray = 1,
    GrayAlpha = 2,
    Rgb = 3,
    Rgba = 4,
    /// <summary>Indexed colours; decoded to RGB, or RGBA when the palette has transparency.</summary>
    Palette = 5,
    /// <summary>A CMYK (Adobe) JPEG; decoded to RGB.</summary>
    Cmyk = 6,
}

/// <summary>What a file held before decoding: format, colour mode and bits per channel (16-bit decodes to 8-bit).</summary>
public readonly record struct ImageFileInfo(ImageFileFormat Format, ImageColorMode Mode, int BitDepth)
{
    /// <summary>The mode as people name it: "RGB", "16-bit gray", "palette", "gray+alpha", "CMYK".</summary>
    public string ModeName
    {
        get
        {
            var name = Mode switch
            {
                ImageColorMode.Gray => "gray",
                ImageColorMode.GrayAlpha => "gray+alpha",
                ImageColorMode.Rgb => "RGB",
                ImageColorMode.Rgba => "RGBA",
                ImageColorMode.Palette => "palette",
                ImageColorMode.Cmyk => "CMYK",
                _ => "unknown mode",
            };
            return BitDepth is 8 or 0 || Mode == ImageColorMode.Palette ? name : $"{BitDepth}-bit {name}";
        }
    }

    public override string ToString() => $"{ModeName} {Format.ToString().ToUpperInvariant()}";
}

/// <summary>One item of <see cref="Imaging.DecodeBatch"/>: the image, or the reason it could not be decoded.</summary>
public readonly record struct ImageDecodeResult(Tensor? Image, ImageFileInfo Info, string? Error);

/// <summary>
/// Image codecs in the native shim: decoding (JPEG by libjpeg-turbo, PNG/BMP/GIF by stb_image) into uint8
/// [H, W, C] tensors that keep the file's channel count, JPEG encoding, and uint8 batch resizing.
/// Decoding is strict: truncated or corrupt files fail with a message instead of decoding half grey.
/// </summary>
public static unsafe class Imaging
{
    /// <summary>Room for each item's error message in a batch decode (longer ones are cut).</summary>
    private const int ErrorSlot = 256;

    /// <summary>Decodes one encoded image into a uint8 [H, W, C] tensor; throws <see cref="TorchException"/> with the reason.</summary>
    public static Tensor Decode(ReadOnlySpan<byte> encoded, out ImageFileInfo info)
    {
        long* raw = stackalloc long[3];
        fixed (byte* p = encoded)
        {
            var handle = mnr_image_decode(p, encoded.Length, raw);
            info = ToInfo(raw);
            return Tensor.Wrap(handle);
        }
    }

    /// <summary>
    /// Decodes many images in one native call, in parallel over libtorch's intra-op threads. Item k is
    /// <c>data[offsets[k] .. offsets[k + 1]]</c> (so <paramref name="offsets"/> has count + 1 entries). A file
    /// that fails gives a result with a null image and its error; the others still decode.
    /// </summary>
    public static ImageDecodeResult[] DecodeBatch(ReadOnlySpan<byte> data, ReadOnlySpan<long> offsets)
    {
        var count = offsets.Length - 1;
        if (count < 0 || (count > 0 && (offsets[0] < 0 || offsets[count] > data.Length)))
        {
            throw new ArgumentException($"offsets must be count + 1 positions within the {data.Length}-byte buffer", nameof(offsets));
        }
        if (count == 0)
        {
            return [];
        }
        var handles = new nint[count];
        var info = new long[3 * count];
        var errors = new byte[count * ErrorSlot];
        fixed (byte* p = data)
        fixed (long* o = offsets)
        fixed (nint* h = handles)
        fixed (long* i = info)
        fixed (byte* e = errors)
        {
            Check(mnr_image_decode_batch(p, o, count, h, i, e, ErrorSlot));
            var results = new ImageDecodeResult[count];
            for (var k = 0; k < count; k++)
            {
                var itemInfo = ToInfo(i + 3 * k);
                results[k] = handles[k] != 0
                    ? new ImageDecodeResult(new Tensor(handles[k]), itemInfo, null)
                    : new ImageDecodeResult(null, itemInfo, Marshal.PtrToStringUTF8((nint)(e + k * ErrorSlot)) ?? "decoding failed");
            }
            return results;
        }
    }

    /// <summary>Encodes a uint8 [H, W, C] image (1 or 3 channels) as a JPEG file's bytes (4:2:0 chroma, as PIL).</summary>
    public static byte[] EncodeJpeg(Tensor image, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        using var bytes = Tensor.Wrap(mnr_image_encode_jpeg(image.Handle, quality));
        return bytes.ToBytes();
    }

    /// <summary>
    /// JPEG-compresses and decodes every image of a uint8 [N, H, W, C] batch (C 1 or 3) in parallel:
    /// the JPEG corruption, in one native call. <paramref name="qualities"/> holds one quality or one per image.
    /// </summary>
    public static Tensor JpegRoundTrip(Tensor images, params long[] qualities)
    {
        if (qualities.Length == 0 || qualities.Any(q => q is < 1 or > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(qualities), "give one or N JPEG qualities, each in 1..100");
        }
        fixed (long* q = qualities)
        {
            return Tensor.Wrap(mnr_image_jpeg_roundtrip(images.Handle, q, qualities.Length));
        }
    }

    /// <summary>
    /// Resizes a uint8 [N, H, W, C] batch to [N, height, width, C]: bilinear with half-pixel centres, and with
    /// <paramref name="antialias"/> a low-pass filter when shrinking (as PIL and torchvision); rounded to uint8.
    /// </summary>
    public static Tensor Resize(Tensor images, int height, int width, bool antialias = true) =>
        Tensor.Wrap(mnr_image_resize(images.Handle, height, width, antialias ? 1 : 0));

    private static ImageFileInfo ToInfo(long* raw) => new((ImageFileFormat)raw[0], (ImageColorMode)raw[1], (int)raw[2]);
}
