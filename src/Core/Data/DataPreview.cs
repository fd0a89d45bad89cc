using System.Globalization;
using System.Text;
using MlNetRobust.Torch;

namespace MlNetRobust.Data;

/// <summary>A few rows rendered as text: what a user looks at while building a pipeline.</summary>
public sealed class DataPreview
{
    private DataPreview(DataViewSchema schema, List<string[]> rows) => (Schema, Rows) = (schema, rows);

    public DataViewSchema Schema { get; }

    /// <summary>One string per column per row.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    internal static DataPreview From(DataBatch batch)
    {
        var rows = new List<string[]>();
        for (var r = 0; r < batch.Count; r++)
        {
            rows.Add(batch.Schema.Select(c => Describe(batch, c, r)).ToArray());
        }
        return new DataPreview(batch.Schema, rows);
    }

    private static string Describe(DataBatch batch, DataViewSchema.Column column, int row) => batch[column.Name] switch
    {
        string[] text => text[row],
        int[] keys when column.Type is KeyType k => $"{keys[row]} ({k.Names[keys[row]]})",
        int[] keys => keys[row].ToString(CultureInfo.InvariantCulture),
        RawImage[] images => images[row].ToString(),
        Tensor t => DescribeTensorRow(t, row),
        var other => other.ToString() ?? "",
    };

    private static string DescribeTensorRow(Tensor t, int row)
    {
        using var r = t[row];
        using var f = r.to(ScalarType.Float64);
        var values = f.data<double>();
        var head = string.Join(", ", values.Take(4).Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));
        return $"[{string.Join("x", r.shape)}] {head}{(values.Length > 4 ? ", …" : "")}";
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(" | ", Schema.Select(c => c.Name)));
        foreach (var row in Rows)
        {
            sb.AppendLine(string.Join(" | ", row));
        }
        return sb.ToString();
    }
}
