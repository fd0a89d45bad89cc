using MlNetRobust.Reporting.Charts;
using MlNetRobust.Reporting.Images;

namespace MlNetRobust.Reporting.Html;

/// <summary>The report's usual sections, built from plain data: configuration, data split, comparison,
/// training curves, confusion matrices, embedding maps, samples, corruption accuracy, timing, versions
/// and notes. Each returns an ordinary <see cref="ReportSection"/>, so callers can add blocks to it.</summary>
public static class ReportSections
{
    /// <summary>The settings of a run, as a key/value list in the order given.</summary>
    public static ReportSection Configuration(IEnumerable<KeyValuePair<string, string>> settings, string title = "Configuration") =>
        new(title, new KeyValueBlock(settings));

    /// <summary>Per class: tag, train, test, total, train % and test % (each of the class's own total),
    /// with a totals row.</summary>
    public static ReportSection DataSplit(IReadOnlyList<ClassSplit> classes, string title = "Data split")
    {
        var percent = NumberFormat.Percent(1);
        var table = new ReportTable(
            new ReportColumn("Tag"),
            new ReportColumn("Train") { Format = NumberFormat.Integer },
            new ReportColumn("Test") { Format = NumberFormat.Integer },
            new ReportColumn("Total") { Format = NumberFormat.Integer },
            new ReportColumn("Train %") { Format = percent, Description = "share of the class in the training set" },
            new ReportColumn("Test %") { Format = percent, Description = "share of the class in the test set" });
        foreach (var c in classes)
        {
            table.Rows.Add(Row(c.Tag, c.Train, c.Test, isSummary: false));
        }

        table.Rows.Add(Row("total", classes.Sum(c => c.Train), classes.Sum(c => c.Test), isSummary: true));
        return new ReportSection(title, table);

        static ReportRow Row(string tag, long train, long test, bool isSummary)
        {
            var total = train + test;
            double? Share(long part) => total == 0 ? null : (double)part / total;
            return new ReportRow(tag, train, test, total, Share(train), Share(test)) { IsSummary = isSummary };
        }
    }

    /// <summary>The comparison of scenarios (e.g. rows scenario × head, columns clean, perturbed, FGSM,
    /// PGD, mean corruption accuracy), best values highlighted as the columns say.</summary>
    public static ReportSection Comparison(ReportTable table, string? note = null, string title = "Comparison")
    {
        var section = new ReportSection(title, table);
        if (!string.IsNullOrEmpty(note))
        {
            section.Blocks.Add(new TextBlock(note, TextStyle.Note));
        }

        return section;
    }

    /// <summary>Loss and accuracy per epoch, train against validation, a pair of charts per run.</summary>
    public static ReportSection TrainingCurves(IEnumerable<TrainingHistory> runs, string title = "Training curves")
    {
        var section = new ReportSection(title);
        foreach (var run in runs)
        {
            var figures = new List<ReportFigure>();
            if (run.TrainLoss.Count + run.ValidationLoss.Count > 0)
            {
                var loss = new LineChart
                {
                    Title = $"Loss \u2014 {run.Name}",
                    XAxisTitle = "Epoch",
                    YAxisTitle = "Loss",
                    Series = Pair(run.TrainLoss, run.ValidationLoss),
                };
                figures.Add(ReportFigure.FromChart($"{run.Name} loss", loss));
            }

            if (run.TrainAccuracy.Count + run.ValidationAccuracy.Count > 0)
            {
                var accuracy = new LineChart
                {
                    Title = $"Accuracy \u2014 {run.Name}",
                    XAxisTitle = "Epoch",
                    YAxisTitle = "Accuracy",
                    YMin = 0,
                    YMax = 1,
                    YFormat = NumberFormat.Percent(0),
                    Series = Pair(run.TrainAccuracy, run.ValidationAccuracy),
                };
                figures.Add(ReportFigure.FromChart($"{run.Name} accuracy", accuracy));
            }

            if (figures.Count > 0)
            {
                section.Blocks.Add(new FigureBlock(figures));
            }
        }

        return section;

        static List<LineSeries> Pair(IReadOnlyList<double> train, IReadOnlyList<double> validation)
        {
            var series = new List<LineSeries>();
            if (train.Count > 0)
            {
                series.Add(LineSeries.PerEpoch("train", train) with { Color = Palette.Category(0) });
            }

            if (validation.Count > 0)
            {
                series.Add(LineSeries.PerEpoch("validation", validation) with { Color = Palette.Category(1) });
            }

            return series;
        }
    }

    /// <summary>One confusion matrix per evaluation (clean, perturbed, attacked…), side by side.</summary>
    public static ReportSection ConfusionMatrices(IReadOnlyList<string> classNames, IEnumerable<(string Title, int[,] Counts)> matrices,
        string title = "Confusion matrices")
    {
        var figures = matrices.Select(m => ReportFigure.FromChart($"confusion {m.Title}",
            new ConfusionMatrixChart { Title = m.Title, ClassNames = classNames, Counts = m.Counts })).ToList();
        return new ReportSection(title, new FigureBlock(figures));
    }

    /// <summary>Maps of the embeddings (UMAP) coloured by class, the panels side by side with one legend.</summary>
    public static ReportSection EmbeddingMaps(IReadOnlyList<string> classNames, IReadOnlyList<ScatterPanel> panels, string? caption = null,
        string title = "Embedding maps")
    {
        var chart = new ScatterChart { Title = "UMAP of embeddings", ClassNames = classNames, Panels = panels };
        return new ReportSection(title, new FigureBlock(ReportFigure.FromChart("umap", chart, caption)));
    }

    /// <summary>Clean, perturbed and adversarial samples with their amplified differences.</summary>
    public static ReportSection Samples(SampleGrid grid, string? caption = null, string title = "Samples") =>
        new(title, new FigureBlock(ReportFigure.FromSampleGrid("samples", grid, caption)));

    /// <summary>Accuracy per corruption; several series make grouped bars (per severity), and the clean
    /// accuracy, when given, is drawn as a reference line.</summary>
    public static ReportSection CorruptionAccuracy(IReadOnlyList<string> corruptions, IReadOnlyList<BarSeries> series,
        double? cleanAccuracy = null, string chartTitle = "Accuracy per corruption", string title = "Corruptions")
    {
        var chart = new BarChart
        {
            Title = chartTitle,
            YAxisTitle = "Accuracy",
            YMax = 1,
            ValueFormat = NumberFormat.Percent(0),
            Categories = corruptions,
            Series = series,
            ReferenceLines = cleanAccuracy is { } clean ? [new ReferenceLine("clean", clean)] : [],
        };
        return new ReportSection(title, new FigureBlock(ReportFigure.FromChart("corruptions", chart)));
    }

    /// <summary>Each stage's duration and share of the whole, with a total.</summary>
    public static ReportSection Timing(IEnumerable<StageTiming> stages, string title = "Timing")
    {
        var list = stages.ToList();
        var total = list.Sum(s => s.Duration.TotalSeconds);
        var table = new ReportTable(
            new ReportColumn("Stage"),
            new ReportColumn("Duration") { Format = NumberFormat.Seconds },
            new ReportColumn("Share") { Format = NumberFormat.Percent(1) });
        foreach (var stage in list)
        {
            table.Rows.Add(new ReportRow(stage.Stage, stage.Duration.TotalSeconds, total > 0 ? stage.Duration.TotalSeconds / total : ReportCell.Empty));
        }

        table.Rows.Add(new ReportRow("total", total, total > 0 ? 1.0 : ReportCell.Empty) { IsSummary = true });
        return new ReportSection(title, table);
    }

    /// <summary>Versions of the product, runtime and libraries, as a key/value list.</summary>
    public static ReportSection Versions(IEnumerable<KeyValuePair<string, string>> versions, string title = "Versions") =>
        new(title, new KeyValueBlock(versions));

    /// <summary>Free-form notes (paragraphs at blank lines).</summary>
    public static ReportSection Notes(string text, string title = "Notes") => new(title, new TextBlock(text));

    /// <summary>Links to the runs' own reports, for an experiment's report.</summary>
    public static ReportSection Runs(IEnumerable<ReportLink> runs, string title = "Runs") => new(title, new LinkListBlock([.. runs]));
}
