using System.Text.Json;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Models;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Models;
using MlNetRobust.Trainers.Training;

namespace MlNetRobust.Trainers.Classification;

/// <summary>
/// A trained image model as a pipeline step. It reads float images [3, H, W] in [0, 1] and adds
/// <c>Embedding</c> (the L2-normalised embedding-head output if the model has one, else the pooled backbone
/// features) and, for classifiers, <c>Score</c> (softmax probabilities [C]) and <c>PredictedLabel</c>.
/// It is also the <see cref="IImageModel"/> that attacks and evaluators use.
///
/// Stored layout (version 1): options.json (architecture, normalisation, class names, columns),
/// weights.pt (the ResNet's state dict in torch.save format, torchvision parameter names), history.json.
/// </summary>
[TransformerLoader(KindName)]
public sealed class ImageModelTransformer : BatchTransformer, IPersistentTransformer, IImageModel, IDisposable
{
    public const string KindName = "ResNetImageModel";

    public ImageModelTransformer(ImageNetwork network, IReadOnlyList<string> classNames, string featureColumn, bool hasClassifier, TrainingHistory? history = null)
    {
        (Network, ClassNames, FeatureColumn, HasClassifier, History) = (network, classNames, featureColumn, hasClassifier, history ?? new TrainingHistory());
    }

    public ImageNetwork Network { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public string FeatureColumn { get; }

    /// <summary>False for metric-learning models, whose classification comes from a KNN head.</summary>
    public bool HasClassifier { get; }

    public TrainingHistory History { get; }

    public string Kind => KindName;

    public int FormatVersion => 1;

    public ImageModelOutput Output => Network.Output;

    public int OutputSize => Network.OutputSize;

    public int EmbeddingSize => Network.Net.EmbeddingDim ?? Network.Net.FeatureSize;

    public Tensor Forward(Tensor images) => Network.Forward(images);

    public IDisposable EvaluationMode() => Network.EvaluationMode();

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var input = inputSchema.Require<TensorType>(FeatureColumn, nameof(ImageModelTransformer), "float images [3, H, W] in [0, 1] (ExtractPixels' output)");
        if (input.ItemShape.Count != 3 || input.ItemShape[0] != 3)
        {
            throw new SchemaException($"{nameof(ImageModelTransformer)}: column '{FeatureColumn}' is {input}, expected images [3, H, W]");
        }
        return OutputSchema(inputSchema, EmbeddingSize, ClassNames, HasClassifier);
    }

    /// <summary>The columns a model adds: Embedding, and Score + PredictedLabel for classifiers.</summary>
    public static DataViewSchema OutputSchema(DataViewSchema inputSchema, int embeddingSize, IReadOnlyList<string> classNames, bool hasClassifier)
    {
        var schema = inputSchema.With(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [embeddingSize]));
        if (hasClassifier)
        {
            schema = schema.With(DefaultColumnNames.Score, new TensorType(ScalarType.Float32, [classNames.Count]))
                .With(DefaultColumnNames.PredictedLabel, new KeyType(classNames));
        }
        return schema;
    }

    public override DataBatch MapBatch(DataBatch input)
    {
        using var mode = EvaluationMode();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var features = Network.Features(input.GetTensor(FeatureColumn).to(ScalarType.Float32));
        var embedding = Network.Net.EmbeddingDim is null ? features : Network.Net.Embed(features);
        var output = input.With(DefaultColumnNames.Embedding, new TensorType(ScalarType.Float32, [EmbeddingSize]), embedding.MoveToOuterDisposeScope());
        if (HasClassifier)
        {
            var scores = torch.nn.functional.softmax(Network.Net.Classify(features), 1);
            var predicted = scores.argmax(1).to(ScalarType.Int32).data<int>();
            output = output.With(DefaultColumnNames.Score, new TensorType(ScalarType.Float32, [ClassNames.Count]), scores.MoveToOuterDisposeScope())
                .With(DefaultColumnNames.PredictedLabel, new KeyType(ClassNames), predicted);
        }
        return output;
    }

    public sealed record Options(string Depth, int Width, int NumClasses, bool CifarStem, int? EmbeddingDim, string Output, float[] Mean, float[] Std,
        IReadOnlyList<string> ClassNames, string FeatureColumn, bool HasClassifier);

    public void Save(ModelSaveContext context)
    {
        var net = Network.Net;
        context.WriteJson("options.json", new Options(net.Depth.ToString(), net.Width, net.NumClasses, net.CifarStem, net.EmbeddingDim, Network.Output.ToString(),
            Network.Mean, Network.Std, ClassNames, FeatureColumn, HasClassifier));
        context.WriteStateDict("weights.pt", net.state_dict());
        context.WriteJson("history.json", History);
    }

    public static ITransformer Load(ModelLoadContext context)
    {
        var o = context.ReadJson<Options>("options.json");
        var net = new ResNet(Enum.Parse<ResNetDepth>(o.Depth), o.NumClasses, o.CifarStem, o.EmbeddingDim, o.Width);
        var weights = context.ReadStateDict("weights.pt");
        try
        {
            net.load_state_dict(weights);
        }
        finally
        {
            foreach (var t in weights.Values)
            {
                t.Dispose();
            }
        }
        var history = context.Exists("history.json") ? context.ReadJson<TrainingHistory>("history.json") : null;
        return new ImageModelTransformer(new ImageNetwork(net, o.Mean, o.Std, Enum.Parse<ImageModelOutput>(o.Output)), o.ClassNames, o.FeatureColumn, o.HasClassifier, history);
    }

    /// <summary>Writes the network's weights alone as a PyTorch state dict (torchvision names).</summary>
    public void ExportStateDict(string path) => Torch.Serialization.StateDictFile.Save(Network.Net, path);

    public void Dispose() => Network.Dispose();

    public override string ToString() => $"{Network.Net.Depth} ({(HasClassifier ? $"{ClassNames.Count} classes" : "embedding")}), {JsonSerializer.Serialize(Network.Mean)}";
}
