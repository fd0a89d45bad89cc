using System.Globalization;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Models;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Models;
using MlNetRobust.Transforms.Perturbations;
using MlNetRobust.Transforms.Sampling;

namespace MlNetRobust.Trainers.Training;

/// <summary>
/// Shared plumbing of the image trainers: schema checks, seeds, normalisation, network creation, the
/// training loop, and wrapping the result as an <see cref="ImageModelTransformer"/>. A trainer supplies its
/// objective (and, for metric learning, its network head and batch order).
/// </summary>
public abstract class ImageTrainerBase<TOptions> : IEstimator<ImageModelTransformer> where TOptions : ImageTrainerOptions
{
    protected ImageTrainerBase(RobustContext context, TOptions options)
    {
        Context = context;
        TrainerOptions = options;
        if (options.Epochs < 1 || options.BatchSize < 1 || options.LearningRate <= 0)
        {
            throw new ArgumentException($"bad trainer options: epochs {options.Epochs}, batch size {options.BatchSize}, learning rate {options.LearningRate} (all must be positive)");
        }
    }

    protected RobustContext Context { get; }

    public TOptions TrainerOptions { get; }

    /// <summary>False for metric-learning trainers: their model's classification comes from a KNN head.</summary>
    protected virtual bool HasClassifier => true;

    protected virtual int? EmbeddingDim => null;

    protected virtual ImageModelOutput Output => ImageModelOutput.Logits;

    protected abstract ITrainingObjective CreateObjective(TrainingContext context);

    /// <summary>Which rows form each batch (e.g. m per class); null uses a seeded shuffle in batches of BatchSize.</summary>
    protected virtual IBatchSampler? CreateSampler(TrainingContext context) => null;

    /// <summary>What a trainer knows when it builds its objective.</summary>
    protected internal sealed record TrainingContext(ulong Seed, IReadOnlyList<string> ClassNames, int[] TrainLabels);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var (classes, _) = CheckInput(inputSchema);
        var embeddingSize = EmbeddingDim ?? ResNet.FeatureSizeOf(TrainerOptions.Depth, TrainerOptions.Width);
        return ImageModelTransformer.OutputSchema(inputSchema, embeddingSize, classes, HasClassifier);
    }

    private (IReadOnlyList<string> Classes, TensorType Features) CheckInput(DataViewSchema schema)
    {
        var name = GetType().Name;
        var features = schema.Require<TensorType>(TrainerOptions.FeatureColumn, name, "float images [3, H, W] in [0, 1] (add ctx.Transforms.ExtractPixels())");
        if (features.ItemShape.Count != 3 || features.ItemShape[0] != 3)
        {
            throw new SchemaException($"{name}: column '{TrainerOptions.FeatureColumn}' is {features}, expected images [3, H, W]");
        }
        var labels = schema.Require<KeyType>(TrainerOptions.LabelColumn, name, "a key (class label) column");
        if (labels.Count < 2)
        {
            throw new SchemaException($"{name}: label column '{TrainerOptions.LabelColumn}' has {labels.Count} class(es); at least 2 are needed");
        }
        return (labels.Names, features);
    }

    public ImageModelTransformer Fit(IDataView input) => Fit(input, TrainerOptions.ValidationData);

    /// <summary>Trains on <paramref name="train"/>, validating on <paramref name="validation"/> after every epoch.</summary>
    public ImageModelTransformer Fit(IDataView train, IDataView? validation)
    {
        var (classes, features) = CheckInput(train.Schema);
        if (validation is not null)
        {
            CheckInput(validation.Schema);
        }
        var seed = TrainerOptions.Seed is { } s ? (ulong)s : Context.NextSeed();
        var (mean, std) = Normalization(features);
        // Initial weights come from a generator of this run's own: the global one may be in use by other threads.
        using var initialization = new Generator(SeedMixer.Mix(seed, 0, 0x1417));
        var network = new ImageNetwork(new ResNet(TrainerOptions.Depth, classes.Count, TrainerOptions.CifarStem, EmbeddingDim, TrainerOptions.Width, initialization),
            mean, std, Output);
        try
        {
            using var trainData = new TrainingData(train, TrainerOptions.FeatureColumn, TrainerOptions.LabelColumn, TrainerOptions.CacheTrainingData);
            using var validationData = validation is null ? null : new TrainingData(validation, TrainerOptions.FeatureColumn, TrainerOptions.LabelColumn, TrainerOptions.CacheTrainingData);
            var context = new TrainingContext(seed, classes, trainData.Labels);
            var loop = new TrainingLoop(network, TrainerOptions, CreateObjective(context), seed)
            {
                Sampler = CreateSampler(context),
                Augmentation = CreateAugmentation(seed),
            };
            var history = loop.Run(trainData, validationData);
            return new ImageModelTransformer(network, classes, TrainerOptions.FeatureColumn, HasClassifier, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Standard augmentation (pad-4 crop + flip, He et al. 2016) followed by the optional extra perturbation,
    /// both drawn per row from (seed, row, epoch).
    /// </summary>
    private Func<Tensor, long[], ulong, Tensor>? CreateAugmentation(ulong seed)
    {
        var steps = new List<IImagePerturbation>();
        if (TrainerOptions.Augment)
        {
            steps.Add(Context.Transforms.RandomCrop(padding: 4, seed: SeedMixer.Mix(seed, 0, 0xC0)).Transformer);
            steps.Add(Context.Transforms.HorizontalFlip(p: 0.5, seed: SeedMixer.Mix(seed, 0, 0xF1)).Transformer);
        }
        if (TrainerOptions.Perturbation is { } extra)
        {
            steps.Add(extra);
        }
        if (steps.Count == 0)
        {
            return null;
        }
        return (images, rows, salt) =>
        {
            var x = images;
            foreach (var step in steps)
            {
                x = step.Apply(x, rows, salt);
            }
            return x;
        };
    }

    /// <summary>Mean and std from the options, else from the feature column's annotations, else identity.</summary>
    private (float[] Mean, float[] Std) Normalization(TensorType features)
    {
        static float[]? Parse(IReadOnlyDictionary<string, string> a, string key) =>
            a.TryGetValue(key, out var v) ? v.Split(',').Select(x => float.Parse(x, CultureInfo.InvariantCulture)).ToArray() : null;
        var mean = TrainerOptions.Mean ?? Parse(features.Annotations, "mean") ?? [0f, 0f, 0f];
        var std = TrainerOptions.Std ?? Parse(features.Annotations, "std") ?? [1f, 1f, 1f];
        return (mean, std);
    }
}
