using System.Text.Json;
using MlNetRobust.Cli.Infrastructure;
using MlNetRobust.Torch;
using MlNetRobust.Trainers.Evaluation;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Cli.Tests;

/// <summary>
/// evaluate, attack, predict and report driven as processes against one model trained by the fixture (train →
/// evaluate → attack → predict → report), each reading only the model zip or the run folder.
/// </summary>
public sealed class ModelCommandsTests(TrainedModelFixture model) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Evaluate_scores_the_zip_alone_on_clean_perturbed_and_attacked_images_and_writes_the_metrics()
    {
        var output = model.NewFolder("evaluate");
        var r = CliProcess.Run("evaluate", model.ModelPath, "--data", model.Cifar, "--test-per-class", "3", "--attacks", "fgsm:8/255,pgd:8/255:2",
            "--perturbed", "--knn-data", model.Cifar, "--knn-per-class", "3", "--output", output, "--threads", "2", "--json");
        Assert.True(r.Code == ExitCodes.Success, r.ToString());
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(30, json.GetProperty("images").GetInt32());
        Assert.Equal(Path.Combine(model.Cifar, "test"), json.GetProperty("data").GetString());
        var metrics = json.GetProperty("metrics").EnumerateArray()
            .Select(m => (Set: m.GetProperty("set").GetString(), Head: m.GetProperty("head").GetString(), Images: m.GetProperty("images").GetInt32(),
                Accuracy: m.GetProperty("accuracy").GetDouble()))
            .ToList();
        // The classifier's own head, and the KNN head fitted on training embeddings because the zip has none.
        Assert.Equal(["clean/classifier", "clean/knn", "perturbed/classifier", "perturbed/knn", "fgsm_8/255/classifier", "fgsm_8/255/knn",
            "pgd2_8/255/classifier", "pgd2_8/255/knn"], metrics.Select(m => $"{m.Set}/{m.Head}"));
        Assert.All(metrics, m => Assert.Equal(30, m.Images));
        Assert.All(metrics, m => Assert.InRange(m.Accuracy, 0, 1));
        // Whole images only: an accuracy on 30 images is a multiple of 1/30.
        Assert.All(metrics, m => Assert.Equal(Math.Round(m.Accuracy * 30), m.Accuracy * 30, 6));

        var written = ClassificationMetrics.FromJson(File.ReadAllText(Path.Combine(output, "metrics-classifier.json")));
        Assert.Equal(metrics[0].Accuracy, written.Accuracy, 12);
        Assert.Equal(30, written.ConfusionMatrix.Total);
        Assert.Equal(Cifar10.ClassNames, written.ClassNames);
        Assert.Contains("macro avg", File.ReadAllText(Path.Combine(output, "report-knn.txt")));
        Assert.True(File.Exists(Path.Combine(output, "evaluation.json")));
        Assert.Contains("evaluating fgsm_8/255: 30 done", r.Stderr);
    }

    [Fact]
    public void Evaluate_prints_the_metrics_table_and_the_classification_report()
    {
        var r = CliProcess.Run("evaluate", model.ModelPath, "--data", Path.Combine(model.Cifar, "test"), "--test-per-class", "2", "--threads", "2");
        Assert.True(r.Code == ExitCodes.Success, r.ToString());
        Assert.Contains("evaluating clean: 20 done, accuracy ", r.Stderr);
        Assert.Contains("│ clean │ classifier │     20 │", r.Stdout);
        Assert.Contains("classification report — classifier, clean", r.Stdout);
        Assert.Contains("weighted avg", r.Stdout);
    }

    [Fact]
    public void Attack_keeps_every_saved_adversarial_pixel_within_eps_of_the_original()
    {
        var output = model.NewFolder("attack");
        var r = CliProcess.Run("attack", model.ModelPath, "--attack", "fgsm", "--eps", "8/255", "--data", model.Cifar, "--per-class", "2",
            "--output", output, "--threads", "2", "--json");
        Assert.True(r.Code == ExitCodes.Success, r.ToString());
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal("fgsm_8/255", json.GetProperty("set").GetString());
        Assert.Equal(8 / 255.0, json.GetProperty("settings").GetProperty("eps").GetDouble(), 12);
        Assert.Equal(20, json.GetProperty("images").GetInt32());
        Assert.Equal(20, json.GetProperty("images_written").GetInt32());
        var head = json.GetProperty("heads")[0];
        Assert.Equal("classifier", head.GetProperty("head").GetString());
        Assert.InRange(head.GetProperty("adversarial_accuracy").GetDouble(), 0, 1);

        var files = Directory.GetFiles(Path.Combine(output, "adversarial"), "*.png", SearchOption.AllDirectories);
        Assert.Equal(20, files.Length);
        Assert.Equal(Cifar10.ClassNames, files.Select(f => Path.GetFileName(Path.GetDirectoryName(f))).Distinct().Order());
        var largest = 0;
        foreach (var file in files)
        {
            // Each file is named after its source image; FGSM moves every pixel by at most eps = 8 levels.
            var source = Path.Combine(model.Cifar, "test", Path.GetFileName(Path.GetDirectoryName(file))!, Path.GetFileNameWithoutExtension(file) + ".jpg");
            var original = Decode(source);
            var adversarial = Decode(file);
            Assert.Equal(original.Length, adversarial.Length);
            largest = Math.Max(largest, original.Zip(adversarial).Max(p => Math.Abs(p.First - p.Second)));
        }
        Assert.InRange(largest, 7, 8);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(output, "grid.png")).Take(4));
        Assert.True(File.Exists(Path.Combine(output, "attack.json")));
    }

    [Fact]
    public void Predict_gives_each_file_a_class_name_and_scores_that_sum_to_one()
    {
        var folder = model.NewFolder("predict");
        var cat = Path.Combine(model.Cifar, "test", "cat", "0000.jpg");
        File.Copy(Path.Combine(model.Cifar, "test", "ship", "0000.jpg"), Path.Combine(folder, "a.jpg"));
        File.Copy(Path.Combine(model.Cifar, "test", "frog", "0000.jpg"), Path.Combine(folder, "b.jpg"));
        TestImages.WritePng(Path.Combine(folder, "nested", "big.png"), width: 48, height: 40); // resized to 32x32
        TestImages.WriteText(Path.Combine(folder, "notes.txt"), "not an image: folders only take image files");

        var r = CliProcess.Run("predict", model.ModelPath, cat, folder, "--top", "2", "--threads", "2", "--json");
        Assert.True(r.Code == ExitCodes.Success, r.ToString());
        var predictions = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal([cat, Path.Combine(folder, "a.jpg"), Path.Combine(folder, "b.jpg"), Path.Combine(folder, "nested", "big.png")],
            predictions.Select(p => p.GetProperty("file").GetString()));
        foreach (var p in predictions)
        {
            var scores = p.GetProperty("scores").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetDouble());
            Assert.Equal(Cifar10.ClassNames, scores.Keys);
            Assert.Equal(1, scores.Values.Sum(), 4);
            var label = p.GetProperty("label").GetString()!;
            Assert.Equal(scores.MaxBy(s => s.Value).Key, label);
            Assert.Equal(scores[label], p.GetProperty("score").GetDouble(), 6);
            var top = p.GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(2, top.Count);
            Assert.Equal(label, top[0].GetProperty("label").GetString());
            Assert.True(top[0].GetProperty("score").GetDouble() >= top[1].GetProperty("score").GetDouble());
        }

        var table = CliProcess.Run("predict", model.ModelPath, cat, "--threads", "2");
        Assert.True(table.Code == ExitCodes.Success, table.ToString());
        Assert.Contains(cat, table.Stdout);
        Assert.Contains(predictions[0].GetProperty("label").GetString()!, table.Stdout);
    }

    [Fact]
    public void Predict_stops_at_an_unreadable_image_naming_it_with_exit_code_3()
    {
        var folder = model.NewFolder("unreadable");
        var bad = TestImages.WriteText(Path.Combine(folder, "broken.jpg"), "this is not a JPEG");
        var r = CliRunner.Run("predict", model.ModelPath, bad);
        Assert.Equal(ExitCodes.DataError, r.ExitCode);
        Assert.StartsWith($"error: '{bad}' could not be decoded: ", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Report_rebuilds_the_html_of_a_moved_run_folder_from_its_result_files()
    {
        var copy = Path.Combine(model.NewFolder("report"), "moved-run");
        CopyFolder(model.RunFolder, copy);
        Directory.Delete(Path.Combine(copy, "report"), recursive: true);
        Directory.Delete(Path.Combine(copy, "baseline-ce", "report"), recursive: true);

        var r = CliProcess.Run("report", copy);
        Assert.True(r.Code == ExitCodes.Success, r.ToString());
        var path = Path.Combine(copy, "report", "report.html");
        Assert.Equal(path, r.Stdout.Trim());
        var html = File.ReadAllText(path);
        Assert.Contains("baseline-ce", html);
        Assert.Contains("Comparison", html);
        Assert.Contains("Data split", html);
        Assert.Contains("href=\"../baseline-ce/report/report.html\"", html);
        Assert.Contains("MlNetRobust run: baseline-ce", File.ReadAllText(Path.Combine(copy, "baseline-ce", "report", "report.html")));

        // A run from before data.json: the data folder named in run.json is listed again for the data facts.
        File.Delete(Path.Combine(copy, "data.json"));
        var older = CliProcess.Run("report", copy);
        Assert.True(older.Code == ExitCodes.Success, older.ToString());
        Assert.Contains("data.json not found (a run from an older version): listing the data folder again", older.Stderr);
        Assert.Equal(html, File.ReadAllText(path));
    }

    private static byte[] Decode(string path)
    {
        using var image = Imaging.Decode(File.ReadAllBytes(path), out _);
        return image.ToBytes();
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
