using System.Diagnostics;
using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Modules;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Bench;

/// <summary>
/// Attack throughput: images per second for FGSM and PGD-10 (L∞, 8/255, 2/255, random start) on one batch through an
/// <see cref="IImageModel"/>. Pass a factory for the model to measure (e.g. a trained ResNet18); the default is a
/// small CIFAR-shaped conv net built here (3 conv–BN–ReLU blocks, normalisation inside the model), in training mode
/// so that the attacks' switch to evaluation mode is part of what is timed. The model is disposed if disposable.
/// Reported: median seconds per call over <c>repeats</c>, images/s, the forward+backward baseline (one input
/// gradient), and the growth in live tensors (0 when attacks free everything).
/// ResNet18: <c>AttackBench.Run(() => new ImageNetwork(ResNet.ResNet18(numClasses: 10, cifarStem: true), mean, std,
/// ImageModelOutput.Logits), "resnet18_cifar")</c>.
/// </summary>
public static class AttackBench
{
    public static Dictionary<string, object> Run(Func<IImageModel>? modelFactory = null, string modelName = "small_convnet",
        int batch = 128, int imageSize = 32, int repeats = 5)
    {
        var model = modelFactory is null ? new SmallConvNet() : modelFactory();
        try
        {
            using var gen = new Generator(0);
            using var images = torch.rand([batch, 3, imageSize, imageSize], gen);
            using var labels = torch.randint(0, model.Output == ImageModelOutput.Logits ? model.OutputSize : 1, [batch], gen);
            var fgsm = new Fgsm(model);
            var pgd = new Pgd(model);
            using (fgsm.Perturb(images, labels, gen)) { }
            using (new Pgd(model, steps: 1).Perturb(images, labels, gen)) { }

            var liveBefore = torch.live_tensor_count;
            var gradient = Median(repeats, () => { using (new Pgd(model, steps: 1, randomStart: false).Perturb(images, labels)) { } });
            var fgsmSeconds = Median(repeats, () => { using (fgsm.Perturb(images, labels, gen)) { } });
            var pgdSeconds = Median(repeats, () => { using (pgd.Perturb(images, labels, gen)) { } });
            return new Dictionary<string, object>
            {
                ["model"] = modelName,
                ["batch"] = batch,
                ["image_size"] = imageSize,
                ["repeats"] = repeats,
                ["one_gradient_step_seconds"] = Math.Round(gradient, 4),
                ["fgsm_seconds"] = Math.Round(fgsmSeconds, 4),
                ["fgsm_images_per_second"] = Math.Round(batch / fgsmSeconds, 1),
                ["pgd10_seconds"] = Math.Round(pgdSeconds, 4),
                ["pgd10_images_per_second"] = Math.Round(batch / pgdSeconds, 1),
                ["pgd10_over_fgsm"] = Math.Round(pgdSeconds / fgsmSeconds, 2),
                ["live_tensor_growth"] = torch.live_tensor_count - liveBefore,
            };
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private static double Median(int repeats, Action action)
    {
        var times = new List<double>();
        for (var i = 0; i < Math.Max(1, repeats); i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>conv(3→32)–BN–ReLU–pool, conv(32→64)–BN–ReLU–pool, conv(64→128)–BN–ReLU, global pool, linear(128→10); CIFAR-10 normalisation first.</summary>
    private sealed class SmallConvNet : IImageModel, IDisposable
    {
        private readonly Sequential _net;
        private readonly Tensor _mean = torch.tensor(new[] { 0.4914f, 0.4822f, 0.4465f }, 1, 3, 1, 1).DetachFromDisposeScope();
        private readonly Tensor _std = torch.tensor(new[] { 0.2470f, 0.2435f, 0.2616f }, 1, 3, 1, 1).DetachFromDisposeScope();

        public SmallConvNet()
        {
            torch.manual_seed(0);
            _net = new Sequential(
                new Conv2d(3, 32, 3, padding: 1, bias: false), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, padding: 1, bias: false), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Conv2d(64, 128, 3, padding: 1, bias: false), new BatchNorm2d(128), new ReLU(),
                new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(128, 10));
        }

        public ImageModelOutput Output => ImageModelOutput.Logits;

        public int OutputSize => 10;

        public Tensor Forward(Tensor images)
        {
            using var centred = images.sub(_mean);
            using var normalised = centred.div(_std);
            return _net.forward(normalised);
        }

        public IDisposable EvaluationMode()
        {
            var wasTraining = _net.training;
            _net.eval();
            return new Restore(() => _net.train(wasTraining));
        }

        public void Dispose()
        {
            _net.Dispose();
            _mean.Dispose();
            _std.Dispose();
        }

        private sealed class Restore(Action restore) : IDisposable
        {
            public void Dispose() => restore();
        }
    }
}
