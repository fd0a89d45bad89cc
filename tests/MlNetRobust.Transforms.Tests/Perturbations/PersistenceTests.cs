using System.IO.Compression;
using System.Reflection;
using System.Text;
using MlNetRobust.Catalogs;
using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Corruptions;
using MlNetRobust.Transforms.Perturbations;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mnr-perturb-{Guid.NewGuid():N}");

    public PersistenceTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// The conformance registry: one configured estimator per perturbation (and a few corruptions). Every entry
    /// goes through schema check, bad input, fit, save, reload and identical outputs; a new perturbation is
    /// tested by adding it here (a test below fails if one is missing).
    /// </summary>
    public static IEnumerable<Func<TransformsCatalog, IPerturbationEstimator<ImagePerturbation>>> Registry() =>
    [
        t => t.GaussianNoise(std: 0.1, p: 0.7),
        t => t.ColorJitter(0.4, 0.4, 0.4, 0.1, p: 0.8),
        t => t.HorizontalFlip(p: 0.5),
        t => t.RandomRotation(degrees: 20, p: 0.9, padding: GridPadding.Border),
        t => t.RandomCrop(padding: 4, paddingMode: BorderMode.Reflect101, p: 1),
        t => t.Compose([t.GaussianNoise(p: 0.3), t.ColorJitter(p: 0.3), t.HorizontalFlip(p: 0.3), t.RandomRotation(p: 0.3)], p: 0.9),
        t => t.RandomChoice([t.HorizontalFlip(p: 1), t.Corrupt(Corruption.Fog, 2)], weights: [1, 2]),
        t => t.Corrupt(Corruption.ShotNoise, 3, p: 0.6),
        t => t.Corrupt(Corruption.ElasticTransform, 4),
        t => t.Corrupt(Corruption.JpegCompression, 5),
    ];

    public static TheoryData<int> RegistryEntries() => [.. Enumerable.Range(0, Registry().Count())];

    [Theory]
    [MemberData(nameof(RegistryEntries))]
    public void Every_perturbation_checks_its_schema_fits_saves_reloads_and_gives_identical_outputs(int entry)
    {
        var ctx = new RobustContext(entry + 100);
        var estimator = Registry().ElementAt(entry)(ctx.Transforms);
        using var view = View(Random(12, 32, 32));
        Assert.Equal(view.Schema[DefaultColumnNames.Features].Type, estimator.GetOutputSchema(view.Schema)[DefaultColumnNames.Features].Type);
        var text = new DataViewSchema([(DefaultColumnNames.Features, TextType.Instance)]);
        Assert.Throws<SchemaException>(() => estimator.GetOutputSchema(text));
        var model = estimator.Fit(view);
        var path = Path.Combine(_folder, $"entry{entry}.zip");
        ctx.Model.Save(model, view.Schema, path);
        using var loaded = ModelZip.Load(path);
        Assert.Equal(model.GetType(), loaded.Transformers.Single().GetType());
        var reloaded = (ImagePerturbation)loaded.Transformers.Single();
        Assert.Equal(PerturbationFile.Serialize(model.Options), PerturbationFile.Serialize(reloaded.Options));
        using var expected = ReadAll(model.Transform(view));
        using var actual = ReadAll(loaded.Transform(view));
        Assert.True(actual.equal(expected));
    }

    [Fact]
    public void A_pipeline_of_perturbations_saved_in_a_model_zip_reloads_with_identical_outputs()
    {
        var ctx = new RobustContext(1);
        var pipeline = ctx.Transforms.RandomCrop(padding: 4)
            .Append(ctx.Transforms.HorizontalFlip())
            .Append(ctx.Transforms.ColorJitter(p: 0.8))
            .Append(ctx.Transforms.RandomRotation(degrees: 10))
            .Append(ctx.Transforms.Compose([ctx.Transforms.GaussianNoise(p: 0.5), ctx.Transforms.Corrupt(Corruption.MotionBlur, 2)], p: 0.5))
            .Append(ctx.Transforms.Corrupt(Corruption.JpegCompression, 3, p: 0.5));
        using var view = View(Random(40, 32, 32));
        using var model = pipeline.Fit(view);
        var path = Path.Combine(_folder, "pipeline.zip");
        new RobustContext(1).Model.Save(model, view.Schema, path);
        using var loaded = ModelZip.Load(path);
        Assert.Equal(6, loaded.Transformers.Count);
        using var expected = ReadAll(model.Transform(view));
        using var actual = ReadAll(loaded.Transform(view));
        Assert.True(actual.equal(expected));
        using var clean = ReadAll(view);
        Assert.False(expected.equal(clean));
        var manifest = ModelZip.ReadManifest(path);
        Assert.Equal(["RandomCropTransformer", "HorizontalFlipTransformer", "ColorJitterTransformer", "RandomRotationTransformer", "ComposeTransformer", "CorruptionTransformer"],
            manifest.Steps.Select(s => s.Kind));
    }

    [Fact]
    public void Options_json_carries_the_layout_version_its_description_and_the_parameters()
    {
        var ctx = new RobustContext(1);
        using var view = View(Random(2, 8, 8));
        var model = ctx.Transforms.Corrupt(Corruption.Fog, severity: 4, p: 0.25, seed: 77).Fit(view);
        var path = Path.Combine(_folder, "fog.zip");
        ctx.Model.Save(model, view.Schema, path);
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry("steps/000-CorruptionTransformer/options.json")!.Open(), Encoding.UTF8);
        var json = reader.ReadToEnd();
        Assert.Contains("\"layout_version\": 1", json);
        Assert.Contains("\"layout\": \"options.kind names the perturbation", json);
        Assert.Contains("\"kind\": \"Corruption\"", json);
        Assert.Contains("\"corruption\": \"fog\"", json);
        Assert.Contains("\"severity\": 4", json);
        Assert.Contains("\"probability\": 0.25", json);
        Assert.Contains("\"seed\": 77", json);
    }

    [Fact]
    public void A_newer_layout_version_is_refused_with_a_clear_message()
    {
        var json = Encoding.UTF8.GetBytes("{\"layout_version\": 2, \"layout\": \"future\", \"options\": {\"kind\": \"HorizontalFlip\"}}");
        var e = Assert.Throws<InvalidDataException>(() => PerturbationFile.Deserialize(json, "model.zip"));
        Assert.Contains("layout version 2", e.Message);
        var unknown = Encoding.UTF8.GetBytes("{\"layout_version\": 1, \"layout\": \"\", \"options\": {\"kind\": \"Sharpen\"}}");
        Assert.Throws<InvalidDataException>(() => PerturbationFile.Deserialize(unknown, "model.zip"));
    }

    [Fact]
    public void Every_perturbation_type_is_loadable_and_in_the_conformance_registry()
    {
        var transformers = typeof(ImagePerturbation).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(ImagePerturbation))).ToList();
        Assert.NotEmpty(transformers);
        foreach (var type in transformers)
        {
            Assert.Equal(type.Name, type.GetCustomAttribute<TransformerLoaderAttribute>()?.Kind);
            Assert.NotNull(type.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, [typeof(ModelLoadContext)]));
        }
        var ctx = new RobustContext(1);
        var registered = Registry().Select(make => make(ctx.Transforms).Transformer.GetType()).ToHashSet();
        Assert.Empty(transformers.Where(t => !registered.Contains(t)).Select(t => t.Name));
        // Every options record has a kind, and a transformer of the matching name.
        foreach (var (kind, type) in PerturbationFile.Kinds)
        {
            Assert.Contains(transformers, t => t.Name == kind + "Transformer");
            Assert.True(type.IsSealed, $"{type.Name} should be sealed");
        }
    }
}
