using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Models;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Attacks;

/// <summary>
/// Replaces an image column (or writes an output column) with adversarial images, batch by batch, against a given
/// trained model. Each row's random start is seeded from (seed, row id), so a row is attacked the same way in any batch.
///
/// Stored layout (version 1): <c>options.json</c> = {attack: {attack: "fgsm"|"pgd", eps, …, targeted}, image_column,
/// label_column, output_column, target_column, seed, model_output, model}. The model is referenced, not embedded: it
/// is a separate, usually large, artefact that is saved with its own trainer. A loaded attack step is unbound and
/// refuses to transform until given its model with <see cref="WithModel"/>.
/// </summary>
[TransformerLoader(KindName)]
public sealed class AttackTransformer : BatchTransformer, IPersistentTransformer
{
    public const string KindName = "Attack";

    private readonly Attack? _attack;

    /// <param name="model">The attacked model; null only for a step loaded from a model zip (bind it with <see cref="WithModel"/>).</param>
    /// <param name="options">Which attack and its settings.</param>
    /// <param name="imageColumn">Float images [C, H, W] in [0, 1].</param>
    /// <param name="labelColumn">True labels (a key column); needed for classifiers, ignored for embedding models.</param>
    /// <param name="outputColumn">Where the adversarial images go; null replaces <paramref name="imageColumn"/>.</param>
    /// <param name="targetColumn">For a targeted attack: the key column of target labels.</param>
    /// <param name="seed">Seeds each row's random start.</param>
    /// <param name="modelOutput">What the model produces; taken from the model when it is given.</param>
    public AttackTransformer(IImageModel? model, AttackOptions options, string imageColumn, string labelColumn, string? outputColumn,
        string? targetColumn, ulong seed, ImageModelOutput? modelOutput = null)
    {
        if (options.Targeted != (targetColumn is not null))
        {
            throw new ArgumentException(options.Targeted
                ? "a targeted attack needs a target column"
                : "a target column was given but the attack is not targeted", nameof(targetColumn));
        }
        (Model, Options, ImageColumn, LabelColumn, OutputColumn, TargetColumn, Seed) =
            (model, options, imageColumn, labelColumn, outputColumn, targetColumn, seed);
        ModelOutput = model?.Output ?? modelOutput ?? throw new ArgumentException("without a model, its output kind must be given", nameof(modelOutput));
        _attack = model is null ? null : options.Create(model);
    }

    public IImageModel? Model { get; }

    public AttackOptions Options { get; }

    public string ImageColumn { get; }

    public string LabelColumn { get; }

    public string? OutputColumn { get; }

    public string? TargetColumn { get; }

    public ulong Seed { get; }

    public ImageModelOutput ModelOutput { get; }

    string IPersistentTransformer.Kind => KindName;

    public int FormatVersion => 1;

    /// <summary>The same step attacking <paramref name="model"/> (e.g. after loading it from a model zip).</summary>
    public AttackTransformer WithModel(IImageModel model) =>
        new(model, Options, ImageColumn, LabelColumn, OutputColumn, TargetColumn, Seed);

    private string? LabelSource => TargetColumn ?? (ModelOutput == ImageModelOutput.Logits ? LabelColumn : null);

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        const string component = "AttackTransformer";
        var image = inputSchema.Require<TensorType>(ImageColumn, component, "float32 images [C, H, W] in [0, 1]");
        if (image.DType != ScalarType.Float32 || image.ItemShape.Count != 3)
        {
            throw new SchemaException($"{component}: column '{ImageColumn}' is {image}, expected float32 images [C, H, W] in [0, 1]");
        }
        if (LabelSource is { } labels)
        {
            inputSchema.Require<KeyType>(labels, component, TargetColumn is null ? "the true labels (a key column)" : "target labels (a key column)");
        }
        return inputSchema.With(OutputColumn ?? ImageColumn, image);
    }

    public override DataBatch MapBatch(DataBatch input)
    {
        if (_attack is null)
        {
            input.Dispose();
            throw new InvalidOperationException($"this {Options.GetType().Name.Replace("Options", "", StringComparison.Ordinal)} attack step was loaded without its model (models are referenced, not embedded); call WithModel(model) first");
        }
        Tensor adversarial;
        try
        {
            using var scope = torch.NewDisposeScope();
            var labels = LabelSource is { } column ? input.GetKeysAsTensor(column) : null;
            adversarial = _attack.Perturb(input.GetTensor(ImageColumn), labels, Seed, input.RowIds).MoveToOuterDisposeScope();
        }
        catch
        {
            input.Dispose();
            throw;
        }
        return input.With(OutputColumn ?? ImageColumn, input.Schema[ImageColumn].Type, adversarial);
    }

    public void Save(ModelSaveContext context) =>
        context.WriteJson("options.json", new Stored(Options, ImageColumn, LabelColumn, OutputColumn, TargetColumn, Seed, ModelOutput,
            "referenced, not embedded: bind the attacked model with WithModel(model) after loading"));

    public static ITransformer Load(ModelLoadContext context)
    {
        if (context.FormatVersion > 1)
        {
            throw new InvalidDataException($"{context.ModelPath}: attack step layout version {context.FormatVersion} is newer than this build reads (1)");
        }
        var s = context.ReadJson<Stored>("options.json");
        return new AttackTransformer(null, s.Attack, s.ImageColumn, s.LabelColumn, s.OutputColumn, s.TargetColumn, s.Seed, s.ModelOutput);
    }

    private sealed record Stored(AttackOptions Attack, string ImageColumn, string LabelColumn, string? OutputColumn, string? TargetColumn,
        ulong Seed, ImageModelOutput ModelOutput, string Model);
}
