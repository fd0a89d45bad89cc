using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Transforms.Tests.Attacks;

public sealed class FgsmTests
{
    /// <summary>
    /// ∂CE/∂x for the tiny model in evaluation mode, with plain loops in double precision:
    /// z_i = (x_i − μ_c)/√(σ²_c + ε)·γ_c + β_c, logits = W z + b, ∂CE/∂logits = softmax − onehot,
    /// ∂CE/∂z_i = Σ_k (p_k − y_k) W_ki, ∂CE/∂x_i = ∂CE/∂z_i · γ_c/√(σ²_c + ε).
    /// </summary>
    private static double[] ReferenceGradient(TinyModel model, float[] x, int label)
    {
        var (c, hw, k) = (model.Channels, model.Height * model.Width, model.OutputSize);
        var mu = model.Bn.running_mean!.data<float>();
        var var = model.Bn.running_var!.data<float>();
        var gamma = model.Bn.weight!.data<float>();
        var beta = model.Bn.bias!.data<float>();
        var w = model.Fc.weight.data<float>();
        var b = model.Fc.bias!.data<float>();
        var scale = new double[c];
        var z = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var ch = i / hw;
            scale[ch] = gamma[ch] / Math.Sqrt(var[ch] + model.Bn.Eps);
            z[i] = (x[i] - mu[ch]) * scale[ch] + beta[ch];
        }
        var logits = new double[k];
        for (var j = 0; j < k; j++)
        {
            logits[j] = b[j];
            for (var i = 0; i < x.Length; i++)
            {
                logits[j] += w[j * x.Length + i] * z[i];
            }
        }
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var p = exp.Select(e => e / exp.Sum()).ToArray();
        var grad = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < k; j++)
            {
                grad[i] += (p[j] - (j == label ? 1 : 0)) * w[j * x.Length + i];
            }
            grad[i] *= scale[i / hw];
        }
        return grad;
    }

    [Fact]
    public void Fgsm_equals_clamp_of_x_plus_eps_times_the_sign_of_a_hand_computed_gradient()
    {
        // One 3×2×2 image; the model is in training mode, so a step crafted in training mode would differ.
        using var model = new TinyModel(3, 2, 2, 4, seed: 7);
        float[] pixels = [0.02f, 0.5f, 0.97f, 0.3f, 0.0f, 1.0f, 0.61f, 0.05f, 0.44f, 0.99f, 0.2f, 0.75f];
        const int label = 2;
        const double eps = 0.1;
        using var images = torch.tensor(pixels, 1, 3, 2, 2);
        using var labels = torch.tensor(new long[] { label });

        using var adversarial = new Fgsm(model, eps).Perturb(images, labels);

        var grad = ReferenceGradient(model, pixels, label);
        var expected = pixels.Select((x, i) => Math.Clamp(x + eps * Math.Sign(grad[i]), 0, 1)).ToArray();
        var actual = adversarial.data<float>();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 6);
        }
        // The clamp mattered: some pixels were pushed past 0 or 1.
        Assert.Contains(expected, v => v is 0 or 1);
    }

    [Fact]
    public void Each_image_of_a_batch_gets_its_own_gradient_sign_step()
    {
        using var model = new TinyModel(3, 2, 2, 4, seed: 8);
        using var gen = new Generator(5);
        using var images = torch.rand([5, 3, 2, 2], gen);
        var labels = new long[] { 0, 1, 2, 3, 1 };
        using var labelTensor = torch.tensor(labels);
        using var adversarial = new Fgsm(model, eps: 8 / 255.0).Perturb(images, labelTensor);
        var x = images.data<float>();
        var actual = adversarial.data<float>();
        for (var n = 0; n < 5; n++)
        {
            var image = x.AsSpan(n * 12, 12).ToArray();
            var grad = ReferenceGradient(model, image, (int)labels[n]);
            for (var i = 0; i < 12; i++)
            {
                Assert.Equal(Math.Clamp(image[i] + 8 / 255.0 * Math.Sign(grad[i]), 0, 1), actual[n * 12 + i], 6);
            }
        }
    }

    [Fact]
    public void Targeted_fgsm_steps_against_the_gradient_toward_the_target()
    {
        using var model = new TinyModel(3, 2, 2, 4, seed: 7);
        float[] pixels = [0.2f, 0.5f, 0.7f, 0.3f, 0.4f, 0.6f, 0.61f, 0.35f, 0.44f, 0.59f, 0.2f, 0.75f];
        using var images = torch.tensor(pixels, 1, 3, 2, 2);
        using var target = torch.tensor(new long[] { 1 });
        using var adversarial = new Fgsm(model, 0.05) { Targeted = true }.Perturb(images, target);
        var grad = ReferenceGradient(model, pixels, 1);
        var actual = adversarial.data<float>();
        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(Math.Clamp(pixels[i] - 0.05 * Math.Sign(grad[i]), 0, 1), actual[i], 6);
        }
    }

    [Fact]
    public void Fgsm_on_an_embedding_model_moves_away_from_the_clean_embedding_within_eps()
    {
        using var model = new TinyModel(3, 4, 4, 8, ImageModelOutput.Embedding);
        var (images, labels) = AttackTestData.Batch(8, 5, seed: 3);
        using var _ = images;
        using var __ = labels;
        using var gen = new Generator(1);
        using var adversarial = new Fgsm(model).Perturb(images, generator: gen);
        using var delta = adversarial.sub(images);
        Assert.InRange(AttackTestData.MaxAbs(delta), 1e-4, Fgsm.Defaults.Eps + 1e-6);
        Assert.All(model.CosineDistance(adversarial, images), d => Assert.True(d > 0));
    }
}
