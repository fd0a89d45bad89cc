using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Transforms.Data;
using MlNetRobust.Transforms.Splits;

namespace MlNetRobust.Pipelines.Experiments;

/// <summary>
/// The data every scenario of an experiment shares: the stratified 20/80 split of the training folder,
/// the validation subset, the test set and the fixed PGD subset — all already converted to RGB float
/// pixels by the same preprocessing chain that goes into each saved model.
/// </summary>
public sealed class ExperimentData : IDisposable
{
    private readonly ImageFileDataView _trainFolder;
    private readonly ImageFileDataView _testFolder;

    public ExperimentData(RobustContext ctx, ExperimentOptions options)
    {
        var root = options.DataFolder ?? Cifar10.Locate()
            ?? throw new DirectoryNotFoundException("CIFAR-10 not found: pass --data <folder with train/ and test/>, or put it at ../shared/datasets/cifar10-jpg");
        foreach (var sub in new[] { "train", "test" })
        {
            if (!Directory.Exists(Path.Combine(root, sub)))
            {
                throw new DirectoryNotFoundException($"data folder '{root}' has no '{sub}/' sub-folder (expected <root>/train/<class>/*.jpg and <root>/test/<class>/*.jpg)");
            }
        }
        DataFolder = root;
        _trainFolder = ctx.Data.LoadFromImageFolder(Path.Combine(root, "train"));
        _testFolder = ctx.Data.LoadFromImageFolder(Path.Combine(root, "test"));
        var preprocessing = ctx.Transforms.ConvertToRgb()
            .Append(ctx.Transforms.ExtractPixels(Cifar10.Mean, Cifar10.Std))
            .Fit(_trainFolder);
        Preprocessing = new TransformerChain<ITransformer>(preprocessing.Transformers);
        RawSchema = _trainFolder.Schema;

        Split = ctx.Data.StratifiedSplit(_trainFolder, options.TrainFraction, options.Training.Seed);
        IDataView train = Split.Train;
        if (options.TrainPerClass is { } cap)
        {
            train = ctx.Data.TakeStratified(Split.Train, cap, options.Training.Seed);
        }
        Train = Preprocessing.Transform(train);
        Validation = Preprocessing.Transform(ctx.Data.TakeStratified(Split.Test, options.ValidationPerClass, options.Training.Seed + 1));
        IDataView test = options.TestPerClass is { } perClass ? ctx.Data.TakeStratified(_testFolder, perClass, options.Training.Seed + 2) : _testFolder;
        Test = Preprocessing.Transform(test);
        PgdSubset = Preprocessing.Transform(ctx.Data.TakeStratified(_testFolder, options.PgdPerClass, options.Training.Seed + 3));
        var corruption = ctx.Data.TakeStratified(_testFolder, Math.Max(1, options.CorruptionPerClass), options.Training.Seed + 4);
        CorruptionSubset = Preprocessing.Transform(corruption);
        CorruptionSubsetSize = (int)corruption.RowCount;
        ClassNames = _trainFolder.ClassNames;
    }

    public string DataFolder { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>ConvertToRgb → ExtractPixels(CIFAR-10 mean/std): the first steps of every saved model.</summary>
    public TransformerChain<ITransformer> Preprocessing { get; }

    /// <summary>The schema of the raw folder view (what a saved model takes as input).</summary>
    public DataViewSchema RawSchema { get; }

    public StratifiedSplitResult Split { get; }

    public IDataView Train { get; }

    public IDataView Validation { get; }

    public IDataView Test { get; }

    public IDataView PgdSubset { get; }

    /// <summary>The fixed subset every model is corrupted on.</summary>
    public IDataView CorruptionSubset { get; }

    public int CorruptionSubsetSize { get; }

    public void Dispose()
    {
        _trainFolder.Dispose();
        _testFolder.Dispose();
    }
}
