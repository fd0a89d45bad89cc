using MlNetRobust.Reporting.Charts;
using MlNetRobust.Reporting.Html;
using MlNetRobust.Reporting.Images;

namespace MlNetRobust.Reporting.Tests;

/// <summary>A complete run report from synthetic data, with every kind of section: what the browser
/// test opens and what docs/images/report-example.png shows.</summary>
internal static class ExampleReport
{
    public static readonly string[] Classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>CIFAR-10-C's 15 corruptions.</summary>
    public static readonly string[] Corruptions =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
        "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
    ];

    public static ReportDocument Build()
    {
        var report = new ReportDocument("Quick CIFAR-10 experiment")
        {
            Subtitle = "ResNet18 \u00b7 cross-entropy, FGSM and PGD adversarial training \u00b7 classifier and KNN heads",
            Facts =
            [
                KeyValuePair.Create("dataset", "cifar10-jpg"),
                KeyValuePair.Create("train / test", "10,000 / 2,000"),
                KeyValuePair.Create("seed", "42"),
                KeyValuePair.Create("epochs", "15"),
            ],
        };

        report.Sections.Add(ReportSections.Comparison(Comparison(),
            "Accuracy on 2,000 test images. Best value per column highlighted; click a header to sort."));
        report.Sections.Add(ReportSections.TrainingCurves([History("pgd-eps8", 15, 1)]));
        report.Sections.Add(ReportSections.EmbeddingMaps(Classes,
            [ScatterChartTests.Blobs("train", 3000, 1), ScatterChartTests.Blobs("test", 1000, 2), ScatterChartTests.Blobs("perturbed test", 1000, 3, shift: 1.2f)],
            "UMAP of the 128-d embeddings, fitted on train; test and perturbed test projected into the same map."));
        report.Sections.Add(ReportSections.ConfusionMatrices(Classes,
            [("Clean test", Confusion(0.86, 1)), ("PGD, eps 8/255", Confusion(0.47, 2))]));
        var hardness = new Random(4);
        var drop = Corruptions.Select(_ => 0.02 + 0.06 * hardness.NextDouble()).ToArray();
        report.Sections.Add(ReportSections.CorruptionAccuracy(Corruptions,
            Enumerable.Range(1, 5).Select(s => new BarSeries($"severity {s}",
                drop.Select(d => 0.84 - d * s * 1.6).ToArray())).ToArray(),
            cleanAccuracy: 0.86, chartTitle: "Accuracy per corruption and severity"));
        report.Sections.Add(ReportSections.Samples(Samples(),
            "Six test images; differences amplified ten times."));
        report.Sections.Add(ReportSections.DataSplit(Classes.Select((c, i) => new ClassSplit(c, 1000 + i, 200)).ToArray()));
        report.Sections.Add(ReportSections.Configuration(
        [
            KeyValuePair.Create("scenario", "pgd-eps8"),
            KeyValuePair.Create("model", "ResNet18 (CIFAR stem), 128-d embedding"),
            KeyValuePair.Create("optimizer", "SGD, lr 0.1, momentum 0.9, weight decay 5e-4, cosine schedule"),
            KeyValuePair.Create("attack (training)", "PGD, eps 8/255, step 2/255, 7 steps, random start"),
            KeyValuePair.Create("batch size", "128"),
        ]));
        report.Sections.Add(ReportSections.Timing(
        [
            new StageTiming("load and decode", TimeSpan.FromSeconds(12.4)),
            new StageTiming("training", TimeSpan.FromSeconds(1834)),
            new StageTiming("evaluation (clean, corrupted)", TimeSpan.FromSeconds(96)),
            new StageTiming("evaluation (FGSM, PGD)", TimeSpan.FromSeconds(211)),
            new StageTiming("UMAP", TimeSpan.FromSeconds(48)),
        ]));
        report.Sections.Add(ReportSections.Versions(
        [
            KeyValuePair.Create("MlNetRobust", "0.1.0"),
            KeyValuePair.Create(".NET", "10.0"),
            KeyValuePair.Create("libtorch", "1.13.1 (CPU)"),
        ]));
        report.Sections.Add(ReportSections.Notes(
            "Synthetic numbers: this report exists to show the layout.\n\nClass names such as <script> are escaped & shown as text."));
        return report;
    }

    private static ReportTable Comparison()
    {
        var percent = NumberFormat.Percent(1);
        var table = new ReportTable(
            new ReportColumn("Scenario"),
            new ReportColumn("Head"),
            new ReportColumn("Clean") { Format = percent, Best = BestValue.Highest },
            new ReportColumn("Perturbed") { Format = percent, Best = BestValue.Highest },
            new ReportColumn("FGSM") { Format = percent, Best = BestValue.Highest },
            new ReportColumn("PGD") { Format = percent, Best = BestValue.Highest },
            new ReportColumn("Mean corruption") { Format = percent, Best = BestValue.Highest, Description = "mean over 15 corruptions × 5 severities" },
            new ReportColumn("Train time") { Format = NumberFormat.Seconds, Best = BestValue.Lowest });
        (string Scenario, double Clean, double Fgsm, double Pgd, double Seconds)[] runs =
        [
            ("baseline", 0.912, 0.121, 0.004, 610),
            ("fgsm-eps8", 0.861, 0.552, 0.391, 905),
            ("pgd-eps8", 0.842, 0.571, 0.468, 2201),
            ("angular-45", 0.897, 0.208, 0.032, 655),
        ];
        foreach (var run in runs)
        {
            table.Rows.Add(new ReportRow(run.Scenario, "classifier", run.Clean, run.Clean - 0.09, run.Fgsm, run.Pgd, run.Clean - 0.17, run.Seconds));
            table.Rows.Add(new ReportRow(run.Scenario, "KNN", run.Clean - 0.011, run.Clean - 0.1, run.Fgsm + 0.01, run.Pgd + 0.006, run.Clean - 0.18, ReportCell.Empty));
        }

        return table;
    }

    public static TrainingHistory History(string name, int epochs, int seed)
    {
        var random = new Random(seed);
        double Noise() => (random.NextDouble() - 0.5) * 0.03;
        var e = Enumerable.Range(1, epochs).Select(i => (double)i).ToArray();
        return new TrainingHistory(name)
        {
            TrainLoss = e.Select(i => 2.1 * Math.Exp(-i / 5) + 0.25 + Noise()).ToArray(),
            ValidationLoss = e.Select(i => 2.0 * Math.Exp(-i / 5) + 0.45 + Noise()).ToArray(),
            TrainAccuracy = e.Select(i => 0.92 - 0.7 * Math.Exp(-i / 4) + Noise()).ToArray(),
            ValidationAccuracy = e.Select(i => 0.85 - 0.65 * Math.Exp(-i / 4) + Noise()).ToArray(),
        };
    }

    public static int[,] Confusion(double accuracy, int seed)
    {
        var random = new Random(seed);
        var n = Classes.Length;
        var counts = new int[n, n];
        for (var t = 0; t < n; t++)
        {
            for (var i = 0; i < 200; i++)
            {
                // Mistakes fall mostly on a "neighbour" class (cat ↔ dog style), the rest anywhere.
                var p = random.NextDouble() < accuracy ? t : random.NextDouble() < 0.6 ? (t + 2) % n : random.Next(n);
                counts[t, p]++;
            }
        }

        return counts;
    }

    /// <summary>Six 32×32 "photos" (a coloured disc on a gradient), fogged and attacked versions.</summary>
    public static SampleGrid Samples()
    {
        const int N = 6, S = 32;
        var random = new Random(3);
        var clean = new float[N * 3 * S * S];
        var fog = new float[clean.Length];
        var attacked = new float[clean.Length];
        for (var n = 0; n < N; n++)
        {
            var hue = n / (double)N;
            for (var y = 0; y < S; y++)
            {
                for (var x = 0; x < S; x++)
                {
                    var inside = Math.Pow(x - 16 - n, 2) + Math.Pow(y - 15, 2) < 80 + 10 * n;
                    for (var c = 0; c < 3; c++)
                    {
                        var i = ((n * 3 + c) * S + y) * S + x;
                        var disc = 0.5 + 0.45 * Math.Cos(2 * Math.PI * (hue + c / 3.0));
                        var background = 0.25 + 0.5 * y / S * (c == 2 ? 1 : 0.6);
                        clean[i] = (float)(inside ? disc : background);
                        fog[i] = (float)(clean[i] * 0.6 + 0.4 * (0.8 + 0.1 * Math.Sin(x / 5.0 + y / 7.0)));
                        // An attack-like pattern: ±8/255, strongest along the disc's edge.
                        var edge = Math.Abs(Math.Sqrt(Math.Pow(x - 16 - n, 2) + Math.Pow(y - 15, 2)) - Math.Sqrt(80 + 10 * n));
                        var strength = edge < 3 ? 1 : 0.35 + 0.3 * random.NextDouble();
                        attacked[i] = (float)Math.Clamp(clean[i] + (random.Next(2) * 2 - 1) * strength * 8 / 255, 0, 1);
                    }
                }
            }
        }

        return new SampleGrid
        {
            Variants =
            [
                new ImageVariant("clean", new ImageBatch(clean, N, 3, S, S)),
                new ImageVariant("fog", new ImageBatch(fog, N, 3, S, S)),
                new ImageVariant("PGD", new ImageBatch(attacked, N, 3, S, S)),
            ],
            Scale = 4,
        };
    }
}
