using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Perturbations;

/// <summary>
/// A random image perturbation a trainer can re-draw: each row is perturbed with probability
/// <see cref="Probability"/>, with parameters and noise that depend only on (seed, row id, salt). A trainer
/// passes salt = epoch to draw fresh augmentation every epoch; <c>Transform</c> uses salt 0, so a test set is
/// perturbed the same way every time it is read.
/// </summary>
public interface IImagePerturbation
{
    /// <summary>The chance that a row is perturbed.</summary>
    double Probability { get; }

    /// <summary>
    /// Perturbs a batch [N, C, H, W] of float images in [0, 1] whose rows have the given ids; returns a new
    /// tensor (the caller owns it) with values in [0, 1]. Rows not drawn for perturbation are copied unchanged.
    /// </summary>
    Tensor Apply(Tensor images, ReadOnlySpan<long> rowIds, ulong salt = 0);
}

/// <summary>
/// The plumbing every perturbation shares, so that each one is only its math (<see cref="Perturb"/>):
/// schema checks, the per-row apply-or-not draw, gathering the chosen rows into one sub-batch, clamping to
/// [0, 1], scattering back, a dispose scope per batch, no autograd, and persistence in the model zip
/// (options.json, see <see cref="PerturbationFile"/>).
/// </summary>
public abstract class ImagePerturbation : BatchTransformer, IImagePerturbation, IPersistentTransformer
{
    // Mixed into a row's key for the apply-or-not draw, so that parameter draws do not depend on p.
    private const ulong DecisionStream = 0xD1B54A32D192ED03UL;

    protected ImagePerturbation(PerturbationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Probability >= 0 && options.Probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Probability, $"{Name}: probability must be in [0, 1]");
        }
        if (string.IsNullOrWhiteSpace(options.OutputColumnName) || options.InputColumnName is { Length: 0 })
        {
            throw new ArgumentException($"{Name}: column names must not be empty", nameof(options));
        }
        Options = options;
    }

    /// <summary>The full description of this step (what the model zip stores).</summary>
    public PerturbationOptions Options { get; }

    public double Probability => Options.Probability;

    public ulong Seed => Options.Seed;

    public string InputColumnName => Options.InputColumnName ?? Options.OutputColumnName;

    public string OutputColumnName => Options.OutputColumnName;

    /// <summary>Channels the math needs (3 for colour operations), or null for any number.</summary>
    public virtual int? RequiredChannels => null;

    /// <summary>A readable name for messages, e.g. "GaussianNoise".</summary>
    public string Name => Options?.Kind ?? GetType().Name;

    /// <summary>The kind under which the model zip stores this step: the transformer's class name.</summary>
    public string Kind => GetType().Name;

    public int FormatVersion => PerturbationFile.LayoutVersion;

    /// <summary>
    /// The perturbation's math on the rows drawn for it: <paramref name="images"/> [M, C, H, W] in [0, 1], one
    /// row per entry of <paramref name="rows"/>. Returns a new tensor of the same shape (values may leave
    /// [0, 1]; the base clamps). Must not modify <paramref name="images"/>. Runs inside a dispose scope and
    /// with autograd off, so temporaries need no disposing.
    /// </summary>
    protected abstract Tensor Perturb(Tensor images, RowRandomness rows);

    /// <summary>Which of the given rows this perturbation changes for this salt (the apply-or-not draw).</summary>
    public bool[] SelectRows(ReadOnlySpan<long> rowIds, ulong salt = 0)
    {
        var result = new bool[rowIds.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = IsSelected(SeedMixer.Mix(Seed, rowIds[i], salt));
        }
        return result;
    }

    private bool IsSelected(ulong key) =>
        Probability >= 1 || (Probability > 0 && SeedMixer.ToUnit(SeedMixer.Mix(key ^ DecisionStream)) < Probability);

    public Tensor Apply(Tensor images, ReadOnlySpan<long> rowIds, ulong salt = 0)
    {
        CheckImages(images, rowIds.Length);
        var keys = new ulong[rowIds.Length];
        var chosen = new List<int>(rowIds.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = SeedMixer.Mix(Seed, rowIds[i], salt);
            if (IsSelected(keys[i]))
            {
                chosen.Add(i);
            }
        }
        var all = new RowRandomness(keys, rowIds.ToArray(), salt);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor result;
        if (chosen.Count == 0)
        {
            result = images.clone();
        }
        else if (chosen.Count == rowIds.Length)
        {
            result = Perturb(images, all).clamp(0, 1);
        }
        else
        {
            var index = torch.tensor(chosen.Select(i => (long)i).ToArray()).to(images.device);
            var changed = Perturb(images.index_select(0, index), all.Subset(chosen)).clamp(0, 1);
            result = images.clone();
            result.index_put_([index], changed);
        }
        return result.MoveToOuterDisposeScope();
    }

    private void CheckImages(Tensor images, int rowCount)
    {
        if (images.ndim != 4 || images.dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException($"{Name}: expected float images [N, C, H, W], got {images.Describe()}", nameof(images));
        }
        if (images.size(0) != rowCount)
        {
            throw new ArgumentException($"{Name}: {images.size(0)} images but {rowCount} row ids", nameof(images));
        }
        if (RequiredChannels is { } c && images.size(1) != c)
        {
            throw new ArgumentException($"{Name}: needs {c} channels (RGB), got {images.Describe()}", nameof(images));
        }
    }

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var expected = RequiredChannels is { } c ? $"float32 images [{c}, H, W] in [0, 1]" : "float32 images [C, H, W] in [0, 1]";
        var type = inputSchema.Require<TensorType>(InputColumnName, Name, expected);
        if (type.DType != ScalarType.Float32 || type.ItemShape.Count != 3 || (RequiredChannels is { } n && type.ItemShape[0] != n))
        {
            throw new SchemaException($"{Name}: column '{InputColumnName}' is {type}, expected {expected}");
        }
        CheckShape(type.ItemShape);
        return inputSchema.With(OutputColumnName, type);
    }

    /// <summary>Further checks of the item shape [C, H, W] (e.g. a crop larger than the image).</summary>
    protected virtual void CheckShape(IReadOnlyList<long> itemShape)
    {
    }

    public override DataBatch MapBatch(DataBatch input)
    {
        try
        {
            var output = Apply(input.GetTensor(InputColumnName), input.RowIds, 0);
            return input.With(OutputColumnName, input.Schema[InputColumnName].Type, output);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    public void Save(ModelSaveContext context) => PerturbationFile.Write(context, Options);

    public override string ToString() => $"{Name}(p={Probability})";
}

/// <summary>An estimator for a perturbation: nothing to learn, so fitting checks the schema and returns it.</summary>
public interface IPerturbationEstimator<out TTransformer> : IEstimator<TTransformer> where TTransformer : ImagePerturbation
{
    TTransformer Transformer { get; }
}

/// <inheritdoc cref="IPerturbationEstimator{TTransformer}"/>
public sealed class PerturbationEstimator<TTransformer>(TTransformer transformer) : IPerturbationEstimator<TTransformer>
    where TTransformer : ImagePerturbation
{
    public TTransformer Transformer { get; } = transformer;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Transformer.GetOutputSchema(inputSchema);

    public TTransformer Fit(IDataView input)
    {
        GetOutputSchema(input.Schema);
        return Transformer;
    }
}
