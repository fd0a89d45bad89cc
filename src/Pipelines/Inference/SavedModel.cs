using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Trainers.Classification;
using MlNetRobust.Trainers.Knn;

namespace MlNetRobust.Pipelines.Inference;

/// <summary>
/// A model zip loaded on its own (no training data, no run folder) and taken apart into what evaluation and
/// prediction need: the preprocessing steps (ConvertToRgb, ExtractPixels, …), the image model, and the KNN
/// head when the zip holds one (metric-learning models). Raw image views go in through <see cref="Prepare"/>.
/// </summary>
public sealed class SavedModel : IDisposable
{
    private readonly TransformerChain<ITransformer> _pipeline;
    private KnnTransformer? _fittedKnn;

    private SavedModel(string path, TransformerChain<ITransformer> pipeline, IReadOnlyList<ITransformer> preprocessing, ImageModelTransformer model, KnnTransformer? knn)
    {
        (Path, _pipeline, Preprocessing, Model, Knn) = (path, pipeline, preprocessing, model, knn);
    }

    /// <summary>The zip it was loaded from (full path).</summary>
    public string Path { get; }

    /// <summary>The steps before the model, applied to raw images.</summary>
    public IReadOnlyList<ITransformer> Preprocessing { get; }

    public ImageModelTransformer Model { get; }

    /// <summary>The KNN head: stored in the zip, or fitted later with <see cref="FitKnn"/>; null when neither.</summary>
    public KnnTransformer? Knn { get; private set; }

    /// <summary>The model's class names in label order.</summary>
    public IReadOnlyList<string> Classes => Model.ClassNames;

    /// <summary>Loads <paramref name="path"/>; a zip without an image model is an <see cref="InvalidDataException"/>.</summary>
    public static SavedModel Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var pipeline = ModelZip.Load(full);
        var steps = pipeline.Transformers;
        var index = steps.ToList().FindIndex(s => s is ImageModelTransformer);
        if (index < 0)
        {
            pipeline.Dispose();
            throw new InvalidDataException($"'{full}' holds no image model (steps: {string.Join(", ", steps.Select(s => s.GetType().Name))})");
        }
        var knn = steps.Skip(index + 1).OfType<KnnTransformer>().FirstOrDefault();
        return new SavedModel(full, pipeline, steps.Take(index).ToList(), (ImageModelTransformer)steps[index], knn);
    }

    /// <summary>Raw images (an Image column) → the model's input (the Features column), lazily.</summary>
    public IDataView Prepare(IDataView raw) => Preprocessing.Aggregate(raw, (view, step) => step.Transform(view));

    /// <summary>
    /// Gives a model without a stored KNN head one (k = 3, cosine): fitted on the embeddings of
    /// <paramref name="prepared"/> (the model's input, with labels).
    /// </summary>
    public void FitKnn(RobustContext ctx, IDataView prepared, int k = KnnEstimator.Defaults.K)
    {
        _fittedKnn?.Dispose();
        _fittedKnn = ctx.Trainers.Knn(k: k).Fit(Model.Transform(prepared));
        Knn = _fittedKnn;
    }

    /// <summary>
    /// A labelled view whose classes are the model's, in the model's order: the data's class names must all be
    /// the model's (a test folder may hold fewer classes). Otherwise an <see cref="InvalidDataException"/> naming them.
    /// </summary>
    public IDataView AlignLabels(IDataView view, string source)
    {
        var names = view.Schema.Require<KeyType>(DefaultColumnNames.Label, nameof(AlignLabels), "a key (label) column").Names;
        if (names.SequenceEqual(Classes))
        {
            return view;
        }
        var unknown = names.Where(n => !Classes.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"{source}: class{(unknown.Count > 1 ? "es" : "")} {string.Join(", ", unknown.Select(n => $"'{n}'"))} " +
                $"not known to the model {Path} (its classes: {string.Join(", ", Classes)})");
        }
        return new LabelAligner(names.Select(n => Classes.ToList().IndexOf(n)).ToArray(), Classes).Transform(view);
    }

    public void Dispose()
    {
        _fittedKnn?.Dispose();
        _pipeline.Dispose();
    }

    /// <summary>Renumbers the Label column into the model's class order.</summary>
    private sealed class LabelAligner(int[] map, IReadOnlyList<string> classes) : BatchTransformer
    {
        public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema.With(DefaultColumnNames.Label, new KeyType(classes));

        public override DataBatch MapBatch(DataBatch input) =>
            input.With(DefaultColumnNames.Label, new KeyType(classes), input.GetKeys(DefaultColumnNames.Label).Select(k => map[k]).ToArray());
    }
}
