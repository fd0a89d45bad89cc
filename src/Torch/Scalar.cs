using System.Runtime.InteropServices;

namespace MlNetRobust.Torch;

/// <summary>
/// A number passed to libtorch. Integral values keep their integer type so that int64 tensors stay int64
/// (a double would promote them to float). Laid out exactly as the shim's <c>mnr_scalar</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Scalar
{
    private readonly double _float;
    private readonly long _int;
    private readonly int _isInt;

    private Scalar(double f, long i, bool isInt)
    {
        _float = f;
        _int = i;
        _isInt = isInt ? 1 : 0;
    }

    public bool IsIntegral => _isInt != 0;

    public double ToDouble() => IsIntegral ? _int : _float;

    public long ToInt64() => IsIntegral ? _int : (long)_float;

    public static implicit operator Scalar(double value) => new(value, 0, false);

    public static implicit operator Scalar(float value) => new(value, 0, false);

    public static implicit operator Scalar(long value) => new(value, value, true);

    public static implicit operator Scalar(int value) => new(value, value, true);

    public static implicit operator Scalar(bool value) => new(value ? 1 : 0, value ? 1 : 0, true);

    internal static Scalar FromNative(double f, long i, bool isInt) => new(f, i, isInt);

    public override string ToString() => IsIntegral ? _int.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : _float.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
