using MlNetRobust.Data;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Evaluation;

namespace MlNetRobust.Trainers.Tests.Evaluation;

/// <summary>
/// Every metric against values worked out by hand on one small example with sklearn's definitions:
/// 8 rows, 4 classes, the last class ("fish") absent from both truth and predictions.
///     truth      0 0 0 0 1 1 2 2            confusion (rows true, columns predicted)
///     predicted  0 0 1 2 1 0 2 2            cat [2 1 1 0]  dog [1 1 0 0]  bird [0 0 2 0]  fish [0 0 0 0]
/// cat:  TP 2, predicted 3, support 4 → P 2/3, R 1/2, F1 4/7
/// dog:  TP 1, predicted 2, support 2 → P 1/2, R 1/2, F1 1/2
/// bird: TP 2, predicted 3, support 2 → P 2/3, R 1,   F1 4/5
/// fish: nothing → 0/0 = 0 everywhere (zero_division=0), support 0
/// accuracy 5/8; macro P (2/3 + 1/2 + 2/3 + 0)/4 = 11/24, R (1/2 + 1/2 + 1 + 0)/4 = 1/2, F1 (4/7 + 1/2 + 4/5)/4 = 131/280;
/// weighted P (4·2/3 + 2·1/2 + 2·2/3)/8 = 5/8, R 5/8, F1 (4·4/7 + 2·1/2 + 2·4/5)/8 = 171/280; micro P = R = F1 = 5/8.
/// </summary>
public sealed class ClassificationMetricsTests
{
    private static readonly string[] s_classes = ["cat", "dog", "bird", "fish"];
    private static readonly int[] s_truth = [0, 0, 0, 0, 1, 1, 2, 2];
    private static readonly int[] s_predicted = [0, 0, 1, 2, 1, 0, 2, 2];

    // Probabilities with ties, to exercise top-k's tie sharing (see Top_k_accuracy_shares_ties).
    private static readonly float[] s_scores =
    [
        0.7f, 0.2f, 0.1f, 0.0f,
        0.5f, 0.25f, 0.25f, 0.0f,
        0.25f, 0.5f, 0.25f, 0.0f,
        0.0f, 0.0f, 1.0f, 0.0f,
        0.1f, 0.6f, 0.3f, 0.0f,
        0.6f, 0.4f, 0.0f, 0.0f,
        0.2f, 0.2f, 0.6f, 0.0f,
        0.25f, 0.25f, 0.25f, 0.25f,
    ];

    private static ClassificationMetrics Example(IReadOnlyList<int>? topK = null) =>
        ClassificationMetrics.Compute(s_truth, s_predicted, s_classes, s_scores, topK ?? [1, 2, 3]);

    private static void Near(double expected, double actual) => Assert.Equal(expected, actual, 12);

    [Fact]
    public void Accuracy_and_averages_match_the_hand_computed_values()
    {
        var m = Example();
        Assert.Equal(8, m.Count);
        Near(5.0 / 8, m.Accuracy);
        Near(11.0 / 24, m.MacroPrecision);
        Near(1.0 / 2, m.MacroRecall);
        Near(131.0 / 280, m.MacroF1);
        Near(5.0 / 8, m.WeightedPrecision);
        Near(5.0 / 8, m.WeightedRecall);
        Near(171.0 / 280, m.WeightedF1);
    }

    [Fact]
    public void Per_class_values_follow_sklearn_with_zero_division_0()
    {
        var m = Example();
        Assert.Equal(s_classes, m.PerClass.Select(c => c.Name));
        Assert.Equal([4L, 2, 2, 0], m.PerClass.Select(c => c.Support));
        double[][] expected = [[2.0 / 3, 1.0 / 2, 4.0 / 7], [1.0 / 2, 1.0 / 2, 1.0 / 2], [2.0 / 3, 1, 4.0 / 5], [0, 0, 0]];
        for (var k = 0; k < 4; k++)
        {
            Near(expected[k][0], m.PerClass[k].Precision);
            Near(expected[k][1], m.PerClass[k].Recall);
            Near(expected[k][2], m.PerClass[k].F1);
        }
    }

    [Fact]
    public void Macro_f1_averages_the_per_class_f1_not_the_f1_of_the_averages()
    {
        var m = Example();
        Near(m.PerClass.Average(c => c.F1), m.MacroF1);
        var f1OfAverages = 2 * m.MacroPrecision * m.MacroRecall / (m.MacroPrecision + m.MacroRecall);
        Assert.True(Math.Abs(f1OfAverages - m.MacroF1) > 1e-3);
    }

    [Fact]
    public void Micro_precision_recall_and_f1_equal_accuracy_for_single_label_data()
    {
        var m = Example();
        Near(m.Accuracy, m.MicroPrecision);
        Near(m.Accuracy, m.MicroRecall);
        Near(m.Accuracy, m.MicroF1);
        // And on random data: weighted recall is accuracy too (support-weighted TP / support).
        var random = new Random(5);
        var truth = Enumerable.Range(0, 500).Select(_ => random.Next(7)).ToArray();
        var predicted = truth.Select(t => random.NextDouble() < 0.6 ? t : random.Next(7)).ToArray();
        var r = ClassificationMetrics.Compute(truth, predicted, Enumerable.Range(0, 7).Select(i => $"c{i}").ToArray());
        Near(truth.Zip(predicted).Count(t => t.First == t.Second) / 500.0, r.Accuracy);
        Near(r.Accuracy, r.MicroPrecision);
        Near(r.Accuracy, r.WeightedRecall);
        Assert.Equal(500, r.ConfusionMatrix.Total);
    }

    [Fact]
    public void Confusion_matrix_has_true_rows_and_predicted_columns()
    {
        var m = Example();
        long[][] expected = [[2, 1, 1, 0], [1, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]];
        Assert.Equal(expected, m.ConfusionMatrix.Counts);
        Assert.Equal(1, m.ConfusionMatrix[1, 0]); // a dog taken for a cat
        Assert.Equal(s_classes, m.ConfusionMatrix.ClassNames);
    }

    [Fact]
    public void Log_loss_is_the_mean_negative_log_of_the_clipped_true_class_probability()
    {
        var m = Example();
        // Row 3 gives its true class probability 0, clipped to 1e-15 as sklearn does.
        double[] p = [0.7f, 0.5f, 0.25f, 1e-15, 0.6f, 0.4f, 0.6f, 0.25f];
        Assert.NotNull(m.LogLoss);
        Assert.Equal(-p.Sum(Math.Log) / 8, m.LogLoss!.Value, 9);
        Assert.Equal(5.037391, m.LogLoss.Value, 5);
    }

    [Fact]
    public void Log_loss_is_left_out_when_the_scores_are_not_probabilities()
    {
        var logits = s_scores.Select(s => s * 10 - 3).ToArray();
        var m = ClassificationMetrics.Compute(s_truth, s_predicted, s_classes, logits, [1]);
        Assert.Null(m.LogLoss);
        Assert.Equal([1], m.TopKAccuracy.Keys);
    }

    [Fact]
    public void Top_k_accuracy_shares_ties()
    {
        // Row 2 (true cat): 0.5 above it, cat tied with bird → top-1 0, top-2 1/2, top-3 1.
        // Row 3 (true cat, score 0): one above, three tied → top-1 0, top-2 1/3, top-3 2/3.
        // Row 7: all four tied → 1/4, 2/4, 3/4. Rows 0, 1, 4, 6 are top-1 hits; row 5 is second.
        var m = Example();
        Near(4.25 / 8, m.TopKAccuracy[1]);
        Near((6 + 1.0 / 3) / 8, m.TopKAccuracy[2]);
        Near((5 + 1 + 2.0 / 3 + 0.75) / 8, m.TopKAccuracy[3]);
    }

    [Fact]
    public void Top_k_defaults_to_1_and_5_below_the_class_count()
    {
        Assert.Equal([1], Example(ClassificationMetrics.Defaults.TopK).TopKAccuracy.Keys);
        Assert.Empty(ClassificationMetrics.Compute(s_truth, s_predicted, s_classes).TopKAccuracy);
        Assert.Null(ClassificationMetrics.Compute(s_truth, s_predicted, s_classes).LogLoss);
    }

    [Fact]
    public void Report_renders_as_sklearn_classification_report()
    {
        // sklearn's classification_report layout (its format strings run in Python on these numbers). 0.625
        // shows as 0.62: the exact midpoint rounds to even, in Python and in .NET alike.
        const string expected = """
                          precision    recall  f1-score   support

                     cat       0.67      0.50      0.57         4
                     dog       0.50      0.50      0.50         2
                    bird       0.67      1.00      0.80         2
                    fish       0.00      0.00      0.00         0

                accuracy                           0.62         8
               macro avg       0.46      0.50      0.47         8
            weighted avg       0.62      0.62      0.61         8

            """;
        Assert.Equal(expected, Example().Report.ToString());
    }

    [Fact]
    public void Report_takes_the_number_of_digits_and_widens_for_long_class_names()
    {
        var m = ClassificationMetrics.Compute([0, 1, 1], [0, 1, 0], ["a", "a very long class name"]);
        const string expected = """
                                    precision    recall  f1-score   support

                                 a     0.5000    1.0000    0.6667         1
            a very long class name     1.0000    0.5000    0.6667         2

                          accuracy                         0.6667         3
                         macro avg     0.7500    0.7500    0.6667         3
                      weighted avg     0.8333    0.6667    0.6667         3

            """;
        Assert.Equal(expected, m.Report.ToString(digits: 4));
    }

    [Fact]
    public void Confusion_matrix_renders_as_an_aligned_table()
    {
        const string expected = """
            true \ predicted  cat  dog  bird  fish
                         cat    2    1     1     0
                         dog    1    1     0     0
                        bird    0    0     2     0
                        fish    0    0     0     0

            """;
        Assert.Equal(expected, Example().ConfusionMatrix.ToString());
        var wide = ConfusionMatrix.From(Enumerable.Repeat(0, 12345).ToArray(), Enumerable.Repeat(1, 12345).ToArray(), ["x", "y"]);
        Assert.Equal("true \\ predicted  x      y\n               x  0  12345\n               y  0      0\n", wide.ToString());
    }

    [Fact]
    public void Json_uses_snake_case_and_round_trips()
    {
        var m = Example();
        var json = m.ToJson();
        foreach (var name in new[] { "\"count\"", "\"macro_f1\"", "\"micro_precision\"", "\"weighted_recall\"", "\"log_loss\"", "\"top_k_accuracy\"", "\"per_class\"", "\"confusion_matrix\"", "\"class_names\"", "\"support\"" })
        {
            Assert.Contains(name, json);
        }
        Assert.DoesNotContain("\"report\"", json);
        var back = ClassificationMetrics.FromJson(json);
        Assert.Equal(m, back);
        Assert.Equal(m.Report.ToString(), back.Report.ToString());
        Assert.Equal(m.TopKAccuracy[2], back.TopKAccuracy[2]);
        Assert.Contains("\"log_loss\": null", ClassificationMetrics.Compute(s_truth, s_predicted, s_classes).ToJson());
    }

    [Fact]
    public void Summary_text_leads_with_the_headline_numbers()
    {
        var text = Example().ToString();
        Assert.StartsWith("8 rows: accuracy 0.6250, macro F1 0.4679, log-loss 5.0374, top-1 0.5312, top-2 0.7917, top-3 0.9271\n\n", text);
        Assert.Contains("weighted avg", text);
        Assert.Contains(@"true \ predicted", text);
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([], [], s_classes));
        Assert.Contains("8 true labels but 7 predictions", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(s_truth, s_predicted[..7], s_classes)).Message);
        Assert.Contains("row 1: predicted label 4 is outside 0..3", Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([0, 1], [0, 4], s_classes)).Message);
        Assert.Contains("need 32", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(s_truth, s_predicted, s_classes, new float[31])).Message);
    }

    // ---- from a scored data view ------------------------------------------------------------------------

    private static InMemoryDataView Scored(bool withPredicted = true, bool withScores = true)
    {
        var columns = new List<(string, ColumnType)> { (DefaultColumnNames.Label, new KeyType(s_classes)) };
        var values = new Dictionary<string, object> { [DefaultColumnNames.Label] = s_truth };
        if (withScores)
        {
            columns.Add((DefaultColumnNames.Score, new TensorType(ScalarType.Float32, [4])));
            values[DefaultColumnNames.Score] = torch.tensor(s_scores, 8, 4);
        }
        if (withPredicted)
        {
            columns.Add((DefaultColumnNames.PredictedLabel, new KeyType(s_classes)));
            values[DefaultColumnNames.PredictedLabel] = s_predicted;
        }
        return new InMemoryDataView(new DataViewSchema(columns), values);
    }

    [Fact]
    public void Evaluating_a_scored_view_gives_the_same_metrics_as_the_arrays()
    {
        using var view = Scored();
        var m = new RobustContext(seed: 1).Evaluation.EvaluateClassification(view, topK: [1, 2, 3]);
        Assert.Equal(Example(), m);
    }

    [Fact]
    public void Without_a_predicted_label_column_the_highest_score_is_the_prediction()
    {
        using var view = Scored(withPredicted: false);
        var m = new RobustContext(seed: 1).Evaluation.EvaluateClassification(view);
        // Argmax per row (first index on ties): 0 0 1 2 1 0 2 0.
        var expected = ClassificationMetrics.Compute(s_truth, [0, 0, 1, 2, 1, 0, 2, 0], s_classes, s_scores);
        Assert.Equal(expected, m);
        Assert.Equal([1], m.TopKAccuracy.Keys);
    }

    [Fact]
    public void Without_scores_there_is_no_log_loss_or_top_k()
    {
        using var view = Scored(withScores: false);
        var m = new RobustContext(seed: 1).Evaluation.EvaluateClassification(view);
        Near(5.0 / 8, m.Accuracy);
        Assert.Null(m.LogLoss);
        Assert.Empty(m.TopKAccuracy);
    }

    [Fact]
    public void Columns_that_do_not_fit_are_named_with_their_types()
    {
        var ctx = new RobustContext(seed: 1);
        using var view = Scored();
        var e = Assert.Throws<SchemaException>(() => ctx.Evaluation.EvaluateClassification(view, labelColumn: "Truth"));
        Assert.Contains("EvaluateClassification: input column 'Truth' not found; expected a key (label) column", e.Message);
        e = Assert.Throws<SchemaException>(() => ctx.Evaluation.EvaluateClassification(view, scoreColumn: DefaultColumnNames.Label));
        Assert.Contains("column 'Label' is Key<4 classes>, expected float scores [4]", e.Message);

        var otherClasses = new DataViewSchema([(DefaultColumnNames.Label, new KeyType(s_classes)), (DefaultColumnNames.PredictedLabel, new KeyType(["a", "b"]))]);
        using var mismatched = new InMemoryDataView(otherClasses, new() { [DefaultColumnNames.Label] = new[] { 0 }, [DefaultColumnNames.PredictedLabel] = new[] { 1 } });
        e = Assert.Throws<SchemaException>(() => ctx.Evaluation.EvaluateClassification(mismatched));
        Assert.Contains("'PredictedLabel' has classes [a, b] but 'Label' has [cat, dog, bird, fish]", e.Message);

        using var labelsOnly = Scored(withPredicted: false, withScores: false);
        e = Assert.Throws<SchemaException>(() => ctx.Evaluation.EvaluateClassification(labelsOnly));
        Assert.Contains("neither a predicted-label column 'PredictedLabel' nor a score column 'Score' found", e.Message);
    }

    [Fact]
    public void Compute_takes_scores_as_a_tensor()
    {
        using var scores = torch.tensor(s_scores, 8, 4).to(ScalarType.Float64);
        Assert.Equal(Example(), ClassificationMetrics.Compute(s_truth, s_predicted, s_classes, scores, [1, 2, 3]));
        using var wrong = torch.zeros([8, 3]);
        Assert.Contains("scores must be [8, 4], got float32[8, 3]", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(s_truth, s_predicted, s_classes, wrong)).Message);
    }
}
