using System.IO.Compression;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;

namespace MlNetRobust.Core.Tests;

public sealed class PipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-core-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Fit_runs_each_estimator_on_the_previous_output_and_transform_is_lazy()
    {
        using var data = TestData.Small();
        var pipeline = new CenterEstimator(DefaultColumnNames.Features).Append(new CenterEstimator(DefaultColumnNames.Features));
        using var model = pipeline.Fit(data);
        Assert.Equal(2, model.Transformers.Count);
        // The second step sees centred data, so it learns a zero mean.
        Assert.Equal([2.5f, 25f], ((CenterTransformer)model.Transformers[0]).Mean.data<float>());
        Assert.Equal([0f, 0f], model.LastTransformer.Mean.data<float>());
        var output = model.Transform(data);
        using var batch = output.GetRows([0]);
        Assert.Equal([-2.5f, -25f], batch.GetTensor(DefaultColumnNames.Features).data<float>());
    }

    [Fact]
    public void A_bad_schema_fails_before_any_step_is_fitted()
    {
        using var data = TestData.Small();
        var pipeline = new CenterEstimator(DefaultColumnNames.Features).Append(new CenterEstimator("Missing"));
        var e = Assert.Throws<SchemaException>(() => pipeline.Fit(data));
        Assert.Contains("'Missing' not found", e.Message);
    }

    [Fact]
    public void Saved_model_zip_reloads_and_gives_the_same_outputs()
    {
        using var data = TestData.Small();
        using var model = new CenterEstimator(DefaultColumnNames.Features).Append(new CenterEstimator(DefaultColumnNames.Features)).Fit(data);
        var path = Path.Combine(_dir, "model.zip");
        new RobustContext(seed: 1).Model.Save(model, data.Schema, path);

        using var loaded = ModelZip.Load(path);
        using var a = model.Transform(data).GetRows([0, 1, 2, 3, 4, 5]);
        using var b = loaded.Transform(data).GetRows([0, 1, 2, 3, 4, 5]);
        Assert.True(a.GetTensor(DefaultColumnNames.Features).equal(b.GetTensor(DefaultColumnNames.Features)));

        var manifest = ModelZip.ReadManifest(path);
        Assert.Equal(["TestCenter", "TestCenter"], manifest.Steps.Select(s => s.Kind));
        Assert.Equal(["cat", "dog", "frog"], manifest.Classes);
        var names = ModelZip.ListEntries(path).Select(e => e.Name).ToList();
        Assert.Contains("steps/000-TestCenter/state.pt", names);
        Assert.Contains("classes.json", names);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));
    }

    [Fact]
    public void A_model_from_a_newer_format_is_refused_with_the_versions()
    {
        var path = Path.Combine(_dir, "future.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write("""{"format":"mlnet-robust-model","format_version":7,"product_version":"9.0.0","created_utc":"2030-01-01T00:00:00Z","input_schema":[],"steps":[]}""");
        }
        var e = Assert.Throws<InvalidDataException>(() => ModelZip.Load(path));
        Assert.Contains("format version 7", e.Message);
        Assert.Contains("MlNetRobust 9.0.0", e.Message);
        Assert.Contains("reads up to version 1", e.Message);
    }

    [Fact]
    public void A_corrupt_model_file_is_refused_with_its_name()
    {
        var path = Path.Combine(_dir, "corrupt.zip");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => ModelZip.Load(path));
        Assert.Contains("corrupt.zip", e.Message);
        Assert.Contains("not a valid model zip", e.Message);
    }

    [Fact]
    public void Unknown_step_kinds_are_named()
    {
        var path = Path.Combine(_dir, "unknown.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write("""{"format":"mlnet-robust-model","format_version":1,"product_version":"0.1.0","created_utc":"2030-01-01T00:00:00Z","input_schema":[],"steps":[{"index":0,"kind":"Teleport","version":1,"folder":"steps/000-Teleport"}]}""");
        }
        var e = Assert.Throws<InvalidDataException>(() => ModelZip.Load(path));
        Assert.Contains("unknown kind 'Teleport'", e.Message);
    }

    [Fact]
    public void Extraction_refuses_entries_that_escape_the_target_folder()
    {
        var path = Path.Combine(_dir, "evil.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var ok = new StreamWriter(zip.CreateEntry("manifest.json").Open()))
            {
                ok.Write("{}");
            }
            using var evil = new StreamWriter(zip.CreateEntry("../escaped.txt").Open());
            evil.Write("pwned");
        }
        var target = Path.Combine(_dir, "out");
        var e = Assert.Throws<InvalidDataException>(() => ModelZip.ExtractTo(path, target));
        Assert.Contains("'../escaped.txt' would be written outside", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "escaped.txt")));
        Assert.False(File.Exists(Path.Combine(target, "manifest.json")), "nothing is extracted when any entry is unsafe");
    }

    [Fact]
    public void Seeds_drawn_from_a_context_repeat_for_the_same_seed()
    {
        var a = new RobustContext(seed: 42);
        var b = new RobustContext(seed: 42);
        var c = new RobustContext(seed: 43);
        var first = Enumerable.Range(0, 3).Select(_ => a.NextSeed()).ToList();
        Assert.Equal(first, Enumerable.Range(0, 3).Select(_ => b.NextSeed()));
        Assert.NotEqual(first, Enumerable.Range(0, 3).Select(_ => c.NextSeed()));
        Assert.Equal(3, first.Distinct().Count());
    }
}
