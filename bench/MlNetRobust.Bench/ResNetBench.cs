using System.Diagnostics;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Optimizers;
using MlNetRobust.Trainers.Models;

namespace MlNetRobust.Bench;

/// <summary>ResNet18 (CIFAR stem) training and inference steps on random 3×32×32 batches.</summary>
public static class ResNetBench
{
    public static Dictionary<string, object> Run(int batch = 128, int steps = 5)
    {
        torch.manual_seed(0);
        using var net = ResNet.ResNet18(numClasses: 10, cifarStem: true);
        using var adam = new Adam(net.parameters(), lr: 1e-3);
        using var gen = new Generator(0);
        using var x = torch.randn([batch, 3, 32, 32], gen);
        using var y = torch.randint(0, 10, [batch], gen);

        void TrainStep()
        {
            using var scope = torch.NewDisposeScope();
            adam.zero_grad();
            torch.nn.functional.cross_entropy(net.forward(x), y).backward();
            adam.step();
        }

        void InferenceStep()
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            net.forward(x);
        }

        net.train();
        var train = Median(TrainStep, steps);
        net.eval();
        var inference = Median(InferenceStep, steps);
        return new Dictionary<string, object>
        {
            ["batch"] = batch,
            ["train_ms_per_step"] = Math.Round(train, 1),
            ["train_images_per_second"] = Math.Round(batch / (train / 1000), 1),
            ["inference_ms_per_batch"] = Math.Round(inference, 1),
            ["inference_images_per_second"] = Math.Round(batch / (inference / 1000), 1),
        };
    }

    internal static double Median(Action step, int steps)
    {
        step(); // warm-up: oneDNN primitive creation, allocator
        var times = new List<double>();
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            step();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
