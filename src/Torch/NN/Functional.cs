using static MlNetRobust.Torch.Native.NativeMethods;

namespace MlNetRobust.Torch;

/// <summary>How a loss reduces over the batch (values are ATen's <c>at::Reduction</c>).</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

/// <summary>Sampling modes for <see cref="torch.nn.functional.interpolate"/> and <see cref="torch.nn.functional.grid_sample"/>.</summary>
public enum InterpolationMode
{
    Bilinear = 0,
    Nearest = 1,
    Bicubic = 2,
}

/// <summary>What <see cref="torch.nn.functional.grid_sample"/> reads outside the image.</summary>
public enum GridPadding
{
    Zeros = 0,
    Border = 1,
    Reflection = 2,
}

public static unsafe partial class torch
{
    public static partial class nn
    {
        /// <summary>Stateless neural-network ops (torch.nn.functional).</summary>
        public static class functional
        {
            private static Tensor Wrap(nint h, params object?[] keepAlive)
            {
                GC.KeepAlive(keepAlive);
                return Tensor.Wrap(h);
            }

            private static nint H(Tensor? t) => Tensor.HandleOrNull(t);

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, (long, long) stride, (long, long) padding, (long, long) dilation, long groups = 1)
            {
                long* s = stackalloc[] { stride.Item1, stride.Item2 };
                long* p = stackalloc[] { padding.Item1, padding.Item2 };
                long* d = stackalloc[] { dilation.Item1, dilation.Item2 };
                return Wrap(mnr_conv2d(input.Handle, weight.Handle, H(bias), s, p, d, groups), bias);
            }

            /// <summary>y = x Wᵀ + b.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Wrap(mnr_linear(input.Handle, weight.Handle, H(bias)), bias);

            /// <summary>Batch normalisation; in training mode the running statistics are updated in place.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                Wrap(mnr_batch_norm(input.Handle, H(weight), H(bias), H(runningMean), H(runningVar), training ? 1 : 0, momentum, eps),
                    weight, bias, runningMean, runningVar);

            public static Tensor max_pool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
            {
                var st = stride ?? kernelSize;
                long* k = stackalloc[] { kernelSize, kernelSize };
                long* s = stackalloc[] { st, st };
                long* p = stackalloc[] { padding, padding };
                long* d = stackalloc[] { dilation, dilation };
                return Wrap(mnr_max_pool2d(input.Handle, k, s, p, d, ceilMode ? 1 : 0));
            }

            public static Tensor avg_pool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0)
            {
                var st = stride ?? kernelSize;
                long* k = stackalloc[] { kernelSize, kernelSize };
                long* s = stackalloc[] { st, st };
                long* p = stackalloc[] { padding, padding };
                return Wrap(mnr_avg_pool2d(input.Handle, k, s, p));
            }

            public static Tensor adaptive_avg_pool2d(Tensor input, long outputHeight, long outputWidth)
            {
                long* o = stackalloc[] { outputHeight, outputWidth };
                return Wrap(mnr_adaptive_avg_pool2d(input.Handle, o));
            }

            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                Wrap(mnr_dropout(input.Handle, p, training ? 1 : 0));

            public static Tensor relu(Tensor input) => input.relu();

            public static Tensor leaky_relu(Tensor input, double negativeSlope = 0.01) => Wrap(mnr_leaky_relu(input.Handle, negativeSlope));

            public static Tensor gelu(Tensor input) => Wrap(mnr_gelu(input.Handle));

            public static Tensor silu(Tensor input) => Wrap(mnr_silu(input.Handle));

            public static Tensor softplus(Tensor input, double beta = 1, double threshold = 20) => Wrap(mnr_softplus(input.Handle, beta, threshold));

            public static Tensor softmax(Tensor input, long dim) => Wrap(mnr_softmax(input.Handle, dim));

            public static Tensor log_softmax(Tensor input, long dim) => Wrap(mnr_log_softmax(input.Handle, dim));

            /// <summary>Cross-entropy of logits (N, C) against class indices (N), as torch.nn.functional.cross_entropy.</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
                long ignoreIndex = -100, double labelSmoothing = 0) =>
                Wrap(mnr_cross_entropy(input.Handle, target.Handle, H(weight), (long)reduction, ignoreIndex, labelSmoothing), weight);

            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100) =>
                Wrap(mnr_nll_loss(input.Handle, target.Handle, H(weight), (long)reduction, ignoreIndex), weight);

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Wrap(mnr_mse_loss(input.Handle, target.Handle, (long)reduction));

            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                Wrap(mnr_bce_with_logits(input.Handle, target.Handle, H(weight), (long)reduction), weight);

            /// <summary>x / max(‖x‖ₚ, eps) along <paramref name="dim"/> (L2 by default).</summary>
            public static Tensor normalize(Tensor input, double p = 2, long dim = 1, double eps = 1e-12) =>
                Wrap(mnr_normalize(input.Handle, p, dim, eps));

            public static Tensor one_hot(Tensor input, long numClasses = -1) => Wrap(mnr_one_hot(input.Handle, numClasses));

            /// <summary>Pads the last dimensions; <paramref name="pad"/> lists (left, right, top, bottom, …) as PyTorch does.</summary>
            public static Tensor pad(Tensor input, long[] pad, string mode = "constant", double value = 0)
            {
                fixed (long* p = pad)
                {
                    return Wrap(mnr_pad(input.Handle, p, pad.Length, mode, value));
                }
            }

            /// <summary>Resizes (N, C, H, W) images to the given height and width.</summary>
            public static Tensor interpolate(Tensor input, long height, long width, InterpolationMode mode = InterpolationMode.Bilinear, bool alignCorners = false)
            {
                long* size = stackalloc[] { height, width };
                return Wrap(mnr_interpolate(input.Handle, size, (int)mode, alignCorners ? 1 : 0));
            }

            /// <summary>Sampling grid (N, H, W, 2) for the affine maps theta (N, 2, 3) and output size (N, C, H, W).</summary>
            public static Tensor affine_grid(Tensor theta, long[] size, bool alignCorners = false)
            {
                fixed (long* s = size)
                {
                    return Wrap(mnr_affine_grid(theta.Handle, s, size.Length, alignCorners ? 1 : 0));
                }
            }

            public static Tensor grid_sample(Tensor input, Tensor grid, InterpolationMode mode = InterpolationMode.Bilinear,
                GridPadding padding = GridPadding.Zeros, bool alignCorners = false) =>
                Wrap(mnr_grid_sample(input.Handle, grid.Handle, (int)mode, (int)padding, alignCorners ? 1 : 0));
        }
    }
}
