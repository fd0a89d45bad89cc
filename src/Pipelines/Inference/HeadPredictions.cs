using MlNetRobust.Data;
using MlNetRobust.Pipelines.Experiments;
using MlNetRobust.Torch;

namespace MlNetRobust.Pipelines.Inference;

/// <summary>
/// What each head of a saved model says about a set of images: per row the predicted class and the class
/// scores (softmax for the classifier, vote shares for the KNN head), both in the model's class order, and
/// the true labels when the data has them. One pass: the model gives the embeddings and the classifier's
/// output, and the KNN head reads the same embeddings.
/// </summary>
public sealed class HeadPredictions
{
    private readonly Dictionary<string, (List<int> Predicted, List<float> Scores)> _heads = [];

    private HeadPredictions(IReadOnlyList<string> classes) => Classes = classes;

    public IReadOnlyList<string> Classes { get; }

    /// <summary>The true labels (model's class order); empty for unlabelled data.</summary>
    public List<int> Truth { get; } = [];

    /// <summary>The image paths, when the data has an ImagePath column.</summary>
    public List<string> Paths { get; } = [];

    public int Count { get; private set; }

    /// <summary>The heads present, classifier first: "classifier" (when the model has one), "knn" (when there is a KNN head).</summary>
    public IReadOnlyList<string> Heads => new[] { ScenarioEvaluator.ClassifierHead, ScenarioEvaluator.KnnHead }.Where(_heads.ContainsKey).ToList();

    public IReadOnlyList<int> Predicted(string head) => _heads[head].Predicted;

    /// <summary>Row <paramref name="row"/>'s scores, one per class.</summary>
    public ReadOnlySpan<float> Scores(string head, int row) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_heads[head].Scores).Slice(row * Classes.Count, Classes.Count);

    /// <summary>Share of rows predicted right by <paramref name="head"/> (labelled data only).</summary>
    public double Accuracy(string head) => Truth.Count == 0 ? double.NaN : Truth.Zip(_heads[head].Predicted).Count(p => p.First == p.Second) / (double)Truth.Count;

    /// <summary>
    /// Scores every row of <paramref name="prepared"/> (the model's input: a Features column, with Label when
    /// labelled). <paramref name="inspect"/> sees each batch before the model consumes it (to save images);
    /// <paramref name="progress"/> gets the predictions so far before the first batch and after each (for live accuracy).
    /// </summary>
    public static HeadPredictions Collect(SavedModel model, IDataView prepared, int batchSize = 256, Action<DataBatch>? inspect = null, IProgress<HeadPredictions>? progress = null)
    {
        var result = new HeadPredictions(model.Classes);
        if (model.Model.HasClassifier)
        {
            result._heads[ScenarioEvaluator.ClassifierHead] = ([], []);
        }
        if (model.Knn is not null)
        {
            result._heads[ScenarioEvaluator.KnnHead] = ([], []);
        }
        if (result._heads.Count == 0)
        {
            throw new InvalidDataException($"'{model.Path}' is an embedding model without a KNN head; give it training images to fit one");
        }
        var knnToModel = model.Knn?.Classes.Select(c => model.Classes.ToList().IndexOf(c)).ToArray();
        if (knnToModel is not null && knnToModel.Contains(-1))
        {
            throw new InvalidDataException($"'{model.Path}': the KNN head's classes ({string.Join(", ", model.Knn!.Classes)}) are not the model's ({string.Join(", ", model.Classes)})");
        }
        var labelled = prepared.Schema.Contains(DefaultColumnNames.Label);
        var hasPaths = prepared.Schema.Contains(DefaultColumnNames.ImagePath);
        progress?.Report(result);
        foreach (var input in prepared.GetBatches(batchSize))
        {
            inspect?.Invoke(input);
            if (labelled)
            {
                result.Truth.AddRange(input.GetKeys(DefaultColumnNames.Label));
            }
            if (hasPaths)
            {
                result.Paths.AddRange(input.GetText(DefaultColumnNames.ImagePath));
            }
            using var batch = model.Model.MapBatch(input);
            using var scope = torch.NewDisposeScope();
            if (model.Model.HasClassifier)
            {
                var (predicted, scores) = result._heads[ScenarioEvaluator.ClassifierHead];
                predicted.AddRange(batch.GetKeys(DefaultColumnNames.PredictedLabel));
                scores.AddRange(batch.GetTensor(DefaultColumnNames.Score).to(ScalarType.Float32).data<float>());
            }
            if (model.Knn is { } knn)
            {
                var (predicted, scores) = result._heads[ScenarioEvaluator.KnnHead];
                var (knnScores, knnPredicted) = knn.Predict(batch.GetTensor(DefaultColumnNames.Embedding));
                var votes = knnScores.to(ScalarType.Float32).data<float>();
                var c = knn.Classes.Count;
                var classes = model.Classes.Count;
                foreach (var k in knnPredicted.to(ScalarType.Int32).data<int>())
                {
                    predicted.Add(knnToModel![k]);
                }
                for (var row = 0; row < batch.Count; row++)
                {
                    var aligned = new float[classes];
                    for (var j = 0; j < c; j++)
                    {
                        aligned[knnToModel![j]] = votes[row * c + j];
                    }
                    scores.AddRange(aligned);
                }
            }
            result.Count += batch.Count;
            progress?.Report(result);
        }
        return result;
    }
}
