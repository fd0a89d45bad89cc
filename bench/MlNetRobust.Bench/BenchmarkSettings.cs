namespace MlNetRobust.Bench;

/// <summary>
/// How a bench run is sized. The full sizes are the ones the issue asks for (ResNet18 batch 128, inference 256,
/// KNN 10k × 40k, UMAP 10k × 128, 5,000 JPEGs); <see cref="BenchmarkSettings.Quick"/> shrinks everything so a test can run the suite in
/// seconds (the numbers then say nothing about speed). The same sizes go to the PyTorch script, so both sides always
/// do the same work.
/// </summary>
public sealed record BenchmarkSizes
{
    /// <summary>Side of the random square images of the model benchmarks (CIFAR's 32; quick runs use 8).</summary>
    public int ImageSize { get; init; } = 32;

    public int TrainBatch { get; init; } = 128;

    /// <summary>Angular training: classes per batch × images per class (8 × 16 = 128, as MPerClassSampler makes them).</summary>
    public int AngularClasses { get; init; } = 8;

    public int AngularPerClass { get; init; } = 16;

    public int EmbeddingDim { get; init; } = 128;

    public int InferenceBatch { get; init; } = 256;

    public int PgdBatch { get; init; } = 128;

    public int PgdSteps { get; init; } = 10;

    /// <summary>JPEG files read by the data-loading benchmarks (the first files of each CIFAR-10 training class).</summary>
    public int DataFiles { get; init; } = 5_000;

    public int DataBatch { get; init; } = 512;

    public int KnnQueries { get; init; } = 10_000;

    public int KnnReferences { get; init; } = 40_000;

    public int KnnDim { get; init; } = 128;

    public int KnnK { get; init; } = 3;

    public int UmapPoints { get; init; } = 10_000;

    public int UmapDim { get; init; } = 128;

    /// <summary>UMAP optimisation epochs; null: the product's default (500 for up to 10,000 points).</summary>
    public int? UmapEpochs { get; init; }

    public int MatmulSize { get; init; } = 10_000;

    public static BenchmarkSizes Full { get; } = new();

    public static BenchmarkSizes QuickSizes { get; } = new()
    {
        ImageSize = 8,
        TrainBatch = 8,
        AngularClasses = 4,
        AngularPerClass = 2,
        InferenceBatch = 8,
        PgdBatch = 4,
        DataFiles = 100,
        DataBatch = 50,
        KnnQueries = 500,
        KnnReferences = 2_000,
        UmapPoints = 300,
        UmapEpochs = 50,
        MatmulSize = 500,
    };
}

/// <summary>
/// Settings of one bench run. <paramref name="Steps"/>: timed repetitions per benchmark (the median is reported),
/// after the warm-up ones. <paramref name="DataFolder"/>: the CIFAR-10 JPEG copy (folder with train/), or null when
/// not found (the data-loading benchmarks then say they were skipped). <paramref name="WorkFolder"/>: scratch space
/// (file lists, caches), deleted by the caller. <paramref name="PyTorchTunedMalloc"/>: run PyTorch with the malloc
/// thresholds MlNetRobust's native library sets at load, instead of glibc's defaults a PyTorch user gets.
/// </summary>
public sealed record BenchmarkSettings(int Threads, int Steps, bool Quick, string? DataFolder, string WorkFolder, bool PyTorchTunedMalloc = false)
{
    /// <summary>
    /// The environment that gives a glibc process the heap policy the native library set in this one
    /// (<see cref="Torch.torch.allocator_tuning"/>). Empty where it set none: then the user's MALLOC_*_ variables
    /// rule here, and the child inherits them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TunedMallocEnvironment()
    {
        var (mmap, trim) = Torch.torch.allocator_tuning;
        var environment = new Dictionary<string, string>();
        if (mmap > 0)
        {
            environment["MALLOC_MMAP_THRESHOLD_"] = mmap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (trim > 0)
        {
            environment["MALLOC_TRIM_THRESHOLD_"] = trim.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return environment;
    }

    public BenchmarkSizes Sizes => Quick ? BenchmarkSizes.QuickSizes : BenchmarkSizes.Full;

    /// <summary>Warm-up repetitions before the timed ones (first-call costs: oneDNN primitives, the allocator, optimiser state).</summary>
    public int WarmUp => Quick ? 1 : 2;
}
