using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Evaluation;

namespace MlNetRobust.Trainers.Evaluation
{
    /// <summary>
    /// Single-label multi-class classification metrics with sklearn's definitions:
    /// accuracy; per class precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R) and
    /// support = TP + FN, where 0/0 counts as 0 (sklearn's zero_division=0); macro averages = unweighted means
    /// of the per-class values over every class of the label's key type — a class absent from both truth and
    /// predictions counts with 0 (as sklearn given labels=all classes; its default instead skips such a
    /// class), so evaluate on data that holds every class; weighted averages = means weighted by support;
    /// micro averages pool the counts (for single-label data micro precision = micro recall = micro F1 =
    /// accuracy); the confusion matrix (rows true, columns predicted).
    /// From scores [N, C] when given: log-loss = −mean log p(true class), with p clipped to [1e−15, 1 − 1e−15]
    /// as sklearn — only when every row is a probability vector (values in [0, 1], rows summing to 1 within
    /// 1e−3), otherwise null (logits are not probabilities); and top-k accuracy, the share of rows whose true
    /// class is among the k highest scores, where a true class tied with others at the boundary gets the
    /// fraction of the tie orders that keep it in the top k (ties neither always win nor always lose;
    /// sklearn's top_k_accuracy_score breaks them by class index instead).
    /// Serialises to JSON with snake_case names (<see cref="ToJson"/>, <see cref="FromJson"/>).
    /// Example: <c>var m = ctx.Evaluation.EvaluateClassification(model.Transform(test)); Console.WriteLine(m.Report);</c>
    /// </summary>
    public sealed record ClassificationMetrics
    {
        public static class Defaults
        {
            /// <summary>The k of top-k accuracy; only those below the class count are reported.</summary>
            public static readonly IReadOnlyList<int> TopK = [1, 5];

            /// <summary>sklearn's clipping of probabilities before the log.</summary>
            public const double LogLossEpsilon = 1e-15;

            /// <summary>How far a row of scores may sum from 1 and still count as probabilities.</summary>
            public const double ProbabilityTolerance = 1e-3;

            public const int BatchSize = 4096;
        }

        /// <summary>Number of rows evaluated.</summary>
        public long Count { get; init; }

        public double Accuracy { get; init; }

        public double MacroPrecision { get; init; }

        public double MacroRecall { get; init; }

        public double MacroF1 { get; init; }

        public double MicroPrecision { get; init; }

        public double MicroRecall { get; init; }

        public double MicroF1 { get; init; }

        public double WeightedPrecision { get; init; }

        public double WeightedRecall { get; init; }

        public double WeightedF1 { get; init; }

        /// <summary>Null without scores, or when the scores are not probabilities.</summary>
        public double? LogLoss { get; init; }

        /// <summary>k → top-k accuracy; empty without scores.</summary>
        public IReadOnlyDictionary<int, double> TopKAccuracy { get; init; } = new Dictionary<int, double>();

        /// <summary>One entry per class, in class order.</summary>
        public IReadOnlyList<ClassMetrics> PerClass { get; init; } = [];

        public ConfusionMatrix ConfusionMatrix { get; init; } = new([], []);

        [JsonIgnore]
        public IReadOnlyList<string> ClassNames => ConfusionMatrix.ClassNames;

        /// <summary>sklearn's classification_report table (its ToString renders it).</summary>
        [JsonIgnore]
        public ClassificationReport Report => new(PerClass, Accuracy,
            new AverageMetrics(MacroPrecision, MacroRecall, MacroF1, Count), new AverageMetrics(WeightedPrecision, WeightedRecall, WeightedF1, Count));

        /// <summary>
        /// The metrics of predicted against true class indices (0..classes−1), and of the scores [N × C,
        /// row-major] when given.
        /// </summary>
        public static ClassificationMetrics Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames,
            ReadOnlySpan<float> scores = default, IReadOnlyList<int>? topK = null)
        {
            var (n, c) = (truth.Count, classNames.Count);
            if (n == 0)
            {
                throw new ArgumentException("no rows to evaluate", nameof(truth));
            }
            if (predicted.Count != n)
            {
                throw new ArgumentException($"{n} true labels but {predicted.Count} predictions", nameof(predicted));
            }
            CheckRange(truth, c, "true label");
            CheckRange(predicted, c, "predicted label");
            if (!scores.IsEmpty && scores.Length != (long)n * c)
            {
                throw new ArgumentException($"scores hold {scores.Length} values; {n} rows × {c} classes need {(long)n * c}", nameof(scores));
            }

            var confusion = ConfusionMatrix.From(truth, predicted, classNames);
            var perClass = new List<ClassMetrics>(c);
            long correct = 0;
            for (var k = 0; k < c; k++)
            {
                var tp = confusion[k, k];
                var support = Enumerable.Range(0, c).Sum(p => confusion[k, p]);
                var predictedAs = Enumerable.Range(0, c).Sum(t => confusion[t, k]);
                var precision = Ratio(tp, predictedAs);
                var recall = Ratio(tp, support);
                perClass.Add(new ClassMetrics(classNames[k], precision, recall, F1(precision, recall), support));
                correct += tp;
            }
            var accuracy = (double)correct / n;
            double Weighted(Func<ClassMetrics, double> f) => perClass.Sum(m => f(m) * m.Support) / n;
            double Macro(Func<ClassMetrics, double> f) => perClass.Count == 0 ? 0 : perClass.Average(f);
            // Pooled counts: every row is one TP or one FP (and one FN) for single-label data.
            var microPrecision = Ratio(correct, n);
            var microRecall = Ratio(correct, n);

            var hasScores = !scores.IsEmpty;
            return new ClassificationMetrics
            {
                Count = n,
                Accuracy = accuracy,
                MacroPrecision = Macro(m => m.Precision),
                MacroRecall = Macro(m => m.Recall),
                MacroF1 = Macro(m => m.F1),
                MicroPrecision = microPrecision,
                MicroRecall = microRecall,
                MicroF1 = F1(microPrecision, microRecall),
                WeightedPrecision = Weighted(m => m.Precision),
                WeightedRecall = Weighted(m => m.Recall),
                WeightedF1 = Weighted(m => m.F1),
                LogLoss = hasScores ? LogLossOf(truth, scores, c) : null,
                TopKAccuracy = hasScores ? TopKOf(truth, scores, c, topK ?? Defaults.TopK) : new Dictionary<int, double>(),
                PerClass = perClass,
                ConfusionMatrix = confusion,
            };
        }

        /// <summary><see cref="Compute(IReadOnlyList{int}, IReadOnlyList{int}, IReadOnlyList{string}, ReadOnlySpan{float}, IReadOnlyList{int}?)"/> with scores as a tensor [N, C].</summary>
        public static ClassificationMetrics Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames,
            Tensor scores, IReadOnlyList<int>? topK = null)
        {
            if (scores.ndim != 2 || scores.size(0) != truth.Count || scores.size(1) != classNames.Count)
            {
                throw new ArgumentException($"scores must be [{truth.Count}, {classNames.Count}], got {scores.Describe()}", nameof(scores));
            }
            using var values = scores.to(ScalarType.Float32);
            return Compute(truth, predicted, classNames, values.data<float>(), topK);
        }

        private static void CheckRange(IReadOnlyList<int> labels, int classes, string what)
        {
            for (var i = 0; i < labels.Count; i++)
            {
                if (labels[i] < 0 || labels[i] >= classes)
                {
                    throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"row {i}: {what} {labels[i]} is outside 0..{classes - 1}");
                }
            }
        }

        private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

        private static double F1(double precision, double recall) => precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);

        private static double? LogLossOf(IReadOnlyList<int> truth, ReadOnlySpan<float> scores, int c)
        {
            double total = 0;
            for (var i = 0; i < truth.Count; i++)
            {
                var row = scores.Slice(i * c, c);
                double sum = 0;
                foreach (var p in row)
                {
                    if (!(p >= -1e-6 && p <= 1 + 1e-6))
                    {
                        return null;
                    }
                    sum += p;
                }
                if (Math.Abs(sum - 1) > Defaults.ProbabilityTolerance)
                {
                    return null;
                }
                total -= Math.Log(Math.Clamp(row[truth[i]], Defaults.LogLossEpsilon, 1 - Defaults.LogLossEpsilon));
            }
            return total / truth.Count;
        }

        private static Dictionary<int, double> TopKOf(IReadOnlyList<int> truth, ReadOnlySpan<float> scores, int c, IReadOnlyList<int> ks)
        {
            var result = new Dictionary<int, double>();
            foreach (var k in ks.Where(k => k >= 1 && k < c).Distinct().Order())
            {
                double hits = 0;
                for (var i = 0; i < truth.Count; i++)
                {
                    var row = scores.Slice(i * c, c);
                    var own = row[truth[i]];
                    var (above, tied) = (0, 0);
                    foreach (var s in row)
                    {
                        above += s > own ? 1 : 0;
                        tied += s == own ? 1 : 0;
                    }
                    // The tied classes (the true one included) fill the places after the `above` ones in any order.
                    hits += Math.Clamp((double)(k - above) / tied, 0, 1);
                }
                result[k] = hits / truth.Count;
            }
            return result;
        }

        // ---- text and JSON ------------------------------------------------------------------------------

        private static readonly JsonSerializerOptions s_json = new()
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        };

        /// <summary>Indented JSON with snake_case names (macro_f1, top_k_accuracy, per_class, confusion_matrix, …).</summary>
        public string ToJson() => JsonSerializer.Serialize(this, s_json);

        public static ClassificationMetrics FromJson(string json) =>
            JsonSerializer.Deserialize<ClassificationMetrics>(json, s_json) ?? throw new JsonException("empty classification metrics");

        /// <summary>A summary line, the per-class report and the confusion matrix.</summary>
        public override string ToString()
        {
            var inv = CultureInfo.InvariantCulture;
            var sb = new StringBuilder();
            sb.Append(inv, $"{Count} rows: accuracy {Accuracy:F4}, macro F1 {MacroF1:F4}");
            if (LogLoss is { } logLoss)
            {
                sb.Append(inv, $", log-loss {logLoss:F4}");
            }
            foreach (var (k, value) in TopKAccuracy.OrderBy(kv => kv.Key))
            {
                sb.Append(inv, $", top-{k} {value:F4}");
            }
            sb.Append("\n\n").Append(Report).Append('\n').Append(ConfusionMatrix);
            return sb.ToString();
        }

        public bool Equals(ClassificationMetrics? other) => other is not null && ToJson() == other.ToJson();

        public override int GetHashCode() => HashCode.Combine(Count, Accuracy, MacroF1);
    }
}

namespace MlNetRobust
{
    /// <summary><c>ctx.Evaluation.EvaluateClassification(…)</c>.</summary>
    public static class ClassificationEvaluationCatalog
    {
        /// <summary>
        /// Reads the true labels, the predictions and (when the column exists) the scores of a scored view and
        /// computes <see cref="ClassificationMetrics"/>. The label and predicted-label columns are keys over the
        /// same class names; the score column, if present, is float [C]. Without a predicted-label column the
        /// prediction is the highest score (the lowest class index on ties).
        /// </summary>
        public static ClassificationMetrics EvaluateClassification(this EvaluationCatalog catalog, IDataView scored,
            string labelColumn = DefaultColumnNames.Label, string scoreColumn = DefaultColumnNames.Score,
            string predictedLabelColumn = DefaultColumnNames.PredictedLabel, IReadOnlyList<int>? topK = null)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            const string component = "EvaluateClassification";
            var schema = scored.Schema;
            var labels = schema.Require<KeyType>(labelColumn, component, "a key (label) column");
            var c = labels.Count;
            var hasScores = schema.Contains(scoreColumn);
            if (hasScores)
            {
                var type = schema.Require<TensorType>(scoreColumn, component, $"float scores [{c}]");
                if (!type.DType.IsFloatingPoint() || type.ItemShape.Count != 1 || type.ItemShape[0] != c)
                {
                    throw new SchemaException($"{component}: column '{scoreColumn}' is {type}, expected float scores [{c}] (one per class of '{labelColumn}')");
                }
            }
            var hasPredicted = schema.Contains(predictedLabelColumn);
            if (hasPredicted)
            {
                var predictedType = schema.Require<KeyType>(predictedLabelColumn, component, "a key (predicted label) column");
                if (!predictedType.Names.SequenceEqual(labels.Names))
                {
                    throw new SchemaException($"{component}: '{predictedLabelColumn}' has classes [{string.Join(", ", predictedType.Names)}] but '{labelColumn}' has [{string.Join(", ", labels.Names)}]");
                }
            }
            else if (!hasScores)
            {
                throw new SchemaException($"{component}: neither a predicted-label column '{predictedLabelColumn}' nor a score column '{scoreColumn}' found. Available: {schema}");
            }

            var truth = new List<int>((int)scored.RowCount);
            var predicted = new List<int>((int)scored.RowCount);
            var scores = hasScores ? new List<float>((int)scored.RowCount * c) : null;
            foreach (var batch in scored.GetBatches(ClassificationMetrics.Defaults.BatchSize))
            {
                using (batch)
                {
                    truth.AddRange(batch.GetKeys(labelColumn));
                    if (scores is not null)
                    {
                        using var values = batch.GetTensor(scoreColumn).to(ScalarType.Float32);
                        var flat = values.data<float>();
                        scores.AddRange(flat);
                        if (!hasPredicted)
                        {
                            for (var r = 0; r < batch.Count; r++)
                            {
                                predicted.Add(ArgMax(flat.AsSpan(r * c, c)));
                            }
                        }
                    }
                    if (hasPredicted)
                    {
                        predicted.AddRange(batch.GetKeys(predictedLabelColumn));
                    }
                }
            }
            return ClassificationMetrics.Compute(truth, predicted, labels.Names, scores is null ? default : scores.ToArray(), topK);
        }

        private static int ArgMax(ReadOnlySpan<float> row)
        {
            var best = 0;
            for (var i = 1; i < row.Length; i++)
            {
                if (row[i] > row[best])
                {
                    best = i;
                }
            }
            return best;
        }
    }
}
