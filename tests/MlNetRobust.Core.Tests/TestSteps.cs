using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;

namespace MlNetRobust.Core.Tests;

/// <summary>
/// A small learnable step for exercising the programming model: fitting learns the mean of a tensor
/// column, transforming subtracts it. It saves options as JSON and its state as a torch.save state dict.
/// </summary>
[TransformerLoader(Kind)]
public sealed class CenterTransformer(string column, Tensor mean) : BatchTransformer, IPersistentTransformer, IDisposable
{
    public const string Kind = "TestCenter";

    public string Column { get; } = column;

    public Tensor Mean { get; } = mean.DetachFromDisposeScope();

    string IPersistentTransformer.Kind => Kind;

    public int FormatVersion => 1;

    public override DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        inputSchema.Require<TensorType>(Column, nameof(CenterTransformer), "a float tensor column");
        return inputSchema;
    }

    public override DataBatch MapBatch(DataBatch input)
    {
        var centered = input.GetTensor(Column).sub(Mean);
        return input.With(Column, input.Schema[Column].Type, centered);
    }

    public void Save(ModelSaveContext context)
    {
        context.WriteJson("options.json", new Options(Column));
        context.WriteStateDict("state.pt", [KeyValuePair.Create("mean", Mean)]);
    }

    public static ITransformer Load(ModelLoadContext context)
    {
        var options = context.ReadJson<Options>("options.json");
        var state = context.ReadStateDict("state.pt");
        return new CenterTransformer(options.Column, state["mean"]);
    }

    public void Dispose() => Mean.Dispose();

    public sealed record Options(string Column);
}

public sealed class CenterEstimator(string column) : IEstimator<CenterTransformer>
{
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        new CenterTransformer(column, torch.zeros(1)).GetOutputSchema(inputSchema);

    public CenterTransformer Fit(IDataView input)
    {
        GetOutputSchema(input.Schema);
        using var scope = torch.NewDisposeScope();
        var batches = input.GetBatches(64).Select(b => { using (b) { return b.GetTensor(column).sum(0).MoveToOuterDisposeScope(); } }).ToList();
        var sum = batches.Aggregate((a, b) => a.add(b));
        var mean = sum.div(input.RowCount).DetachFromDisposeScope();
        return new CenterTransformer(column, mean);
    }
}

public static class TestData
{
    /// <summary>Six rows: Features [2] = (i, 10 i), Label i % 3 over three named classes, ImagePath "img{i}.png".</summary>
    public static InMemoryDataView Small()
    {
        var features = new float[12];
        for (var i = 0; i < 6; i++)
        {
            features[2 * i] = i;
            features[2 * i + 1] = 10 * i;
        }
        var schema = new DataViewSchema([
            (DefaultColumnNames.ImagePath, TextType.Instance),
            (DefaultColumnNames.Label, new KeyType(["cat", "dog", "frog"])),
            (DefaultColumnNames.Features, new TensorType(ScalarType.Float32, [2])),
        ]);
        return new InMemoryDataView(schema, new Dictionary<string, object>
        {
            [DefaultColumnNames.ImagePath] = Enumerable.Range(0, 6).Select(i => $"img{i}.png").ToArray(),
            [DefaultColumnNames.Label] = Enumerable.Range(0, 6).Select(i => i % 3).ToArray(),
            [DefaultColumnNames.Features] = torch.tensor(features, 6, 2),
        });
    }
}
