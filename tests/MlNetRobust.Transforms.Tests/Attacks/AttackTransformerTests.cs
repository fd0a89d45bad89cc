using System.IO.Compression;
using MlNetRobust.Data;
using MlNetRobust.Models;
using MlNetRobust.Persistence;
using MlNetRobust.Torch;
using MlNetRobust.Transforms.Attacks;

namespace MlNetRobust.Transforms.Tests.Attacks;

public sealed class AttackTransformerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlnr-attacks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>12 images [3, 4, 4] in [0, 1] with labels over 5 classes.</summary>
    private static InMemoryDataView Images(bool withLabels = true)
    {
        var (images, labels) = AttackTestData.Batch(12, 5, seed: 9);
        using var _ = labels;
        var columns = new List<(string, ColumnType)> { (DefaultColumnNames.Features, new TensorType(ScalarType.Float32, [3, 4, 4])) };
        var values = new Dictionary<string, object> { [DefaultColumnNames.Features] = images };
        if (withLabels)
        {
            columns.Add((DefaultColumnNames.Label, new KeyType(["a", "b", "c", "d", "e"])));
            values[DefaultColumnNames.Label] = labels.data<long>().Select(l => (int)l).ToArray();
        }
        return new InMemoryDataView(new DataViewSchema(columns), values);
    }

    private static long[] AllRows(IDataView view) => Enumerable.Range(0, (int)view.RowCount).Select(i => (long)i).ToArray();

    [Fact]
    public void Pgd_attack_replaces_the_image_column_with_adversarial_images_row_by_row()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        using var data = Images();
        var ctx = new RobustContext(seed: 1);
        var transformer = ctx.Transforms.PgdAttack(model, seed: 4).Fit(data);
        var attacked = transformer.Transform(data);
        Assert.Equal(data.Schema.Select(c => c.Name), attacked.Schema.Select(c => c.Name));

        using var clean = data.GetRows(AllRows(data));
        using var all = attacked.GetRows(AllRows(data));
        var x = clean.GetTensor(DefaultColumnNames.Features);
        var adv = all.GetTensor(DefaultColumnNames.Features);
        Assert.Equal(clean.GetKeys(DefaultColumnNames.Label), all.GetKeys(DefaultColumnNames.Label));
        using var delta = adv.sub(x);
        Assert.InRange(AttackTestData.MaxAbs(delta), Pgd.Defaults.Eps - 1e-6, Pgd.Defaults.Eps + 1e-6);
        using var labels = clean.GetKeysAsTensor(DefaultColumnNames.Label);
        Assert.All(model.CrossEntropy(x, labels).Zip(model.CrossEntropy(adv, labels)), p => Assert.True(p.Second > p.First));

        // The same as the attack called directly with the transformer's seed and the rows' ids …
        using var direct = new Pgd(model).Perturb(x, labels, transformer.Seed, clean.RowIds);
        Assert.True(direct.equal(adv));
        // … and a row is attacked the same way whatever batch it is read in.
        using var some = attacked.GetRows([7, 2]);
        using var index = torch.tensor(new long[] { 7, 2 });
        using var expected = adv.index_select(0, index);
        Assert.True(some.GetTensor(DefaultColumnNames.Features).allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void An_output_column_keeps_the_clean_images_beside_the_adversarial_ones()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        using var data = Images();
        var attacked = new RobustContext(seed: 1).Transforms.FgsmAttack(model, eps: 0.05, outputColumn: "Adversarial").Fit(data).Transform(data);
        Assert.Equal([DefaultColumnNames.Features, DefaultColumnNames.Label, "Adversarial"], attacked.Schema.Select(c => c.Name));
        using var batch = attacked.GetRows(AllRows(data));
        using var clean = data.GetRows(AllRows(data));
        Assert.True(batch.GetTensor(DefaultColumnNames.Features).equal(clean.GetTensor(DefaultColumnNames.Features)));
        using var delta = batch.GetTensor("Adversarial").sub(clean.GetTensor(DefaultColumnNames.Features));
        Assert.InRange(AttackTestData.MaxAbs(delta), 0.05 - 1e-6, 0.05 + 1e-6);
    }

    [Fact]
    public void An_embedding_model_is_attacked_without_labels()
    {
        using var model = new TinyModel(3, 4, 4, 8, ImageModelOutput.Embedding);
        using var data = Images(withLabels: false);
        var attacked = new RobustContext(seed: 1).Transforms.PgdAttack(model).Fit(data).Transform(data);
        using var batch = attacked.GetRows(AllRows(data));
        using var clean = data.GetRows(AllRows(data));
        Assert.All(model.CosineDistance(batch.GetTensor(DefaultColumnNames.Features), clean.GetTensor(DefaultColumnNames.Features)), d => Assert.True(d > 0));
    }

    [Fact]
    public void A_targeted_attack_reads_its_targets_from_the_target_column()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        using var images = Images();
        using var batch0 = images.GetRows(AllRows(images));
        var targets = batch0.GetKeys(DefaultColumnNames.Label).Select(l => (l + 2) % 5).ToArray();
        var schema = images.Schema.With("Target", images.Schema[DefaultColumnNames.Label].Type);
        using var data = new InMemoryDataView(schema, new Dictionary<string, object>
        {
            [DefaultColumnNames.Features] = batch0.GetTensor(DefaultColumnNames.Features).clone(),
            [DefaultColumnNames.Label] = batch0.GetKeys(DefaultColumnNames.Label),
            ["Target"] = targets,
        });
        var attacked = new RobustContext(seed: 1).Transforms.PgdAttack(model, targetColumn: "Target").Fit(data).Transform(data);
        using var batch = attacked.GetRows(AllRows(data));
        using var targetTensor = batch.GetKeysAsTensor("Target");
        var before = model.CrossEntropy(batch0.GetTensor(DefaultColumnNames.Features), targetTensor);
        var after = model.CrossEntropy(batch.GetTensor(DefaultColumnNames.Features), targetTensor);
        Assert.All(before.Zip(after), p => Assert.True(p.Second < p.First));
    }

    [Fact]
    public void Fitting_checks_the_image_and_label_columns_and_names_them()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        using var noLabels = Images(withLabels: false);
        var ctx = new RobustContext(seed: 1);
        var e = Assert.Throws<SchemaException>(() => ctx.Transforms.FgsmAttack(model).Fit(noLabels));
        Assert.Contains("'Label'", e.Message);
        using var data = Images();
        var f = Assert.Throws<SchemaException>(() => ctx.Transforms.FgsmAttack(model, imageColumn: DefaultColumnNames.Label).Fit(data));
        Assert.Contains("'Label'", f.Message);
        Assert.Contains("[C, H, W]", f.Message);
    }

    [Fact]
    public void A_saved_attack_step_stores_its_options_and_refers_to_the_model_without_embedding_it()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        using var data = Images();
        var transformer = new RobustContext(seed: 1).Transforms.PgdAttack(model, eps: 4 / 255.0, steps: 5, norm: AttackNorm.Linf).Fit(data);
        var path = Path.Combine(_dir, "attack.zip");
        ModelZip.Save(transformer, data.Schema, path);

        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.DoesNotContain(zip.Entries, e => e.Name.EndsWith(".pt", StringComparison.Ordinal));
            using var reader = new StreamReader(zip.GetEntry("steps/000-Attack/options.json")!.Open());
            var json = reader.ReadToEnd();
            Assert.Contains("\"attack\": \"pgd\"", json);
            Assert.Contains("\"steps\": 5", json);
            Assert.Contains("referenced, not embedded", json);
        }

        using var chain = ModelZip.Load(path);
        var loaded = Assert.IsType<AttackTransformer>(Assert.Single(chain.Transformers));
        Assert.Equal(transformer.Options, loaded.Options);
        Assert.Equal(transformer.Seed, loaded.Seed);
        Assert.Null(loaded.Model);
        Assert.Equal(data.Schema.Select(c => c.ToString()), loaded.GetOutputSchema(data.Schema).Select(c => c.ToString()));
        var e = Assert.Throws<InvalidOperationException>(() => loaded.Transform(data).GetRows([0]));
        Assert.Contains("WithModel", e.Message);

        using var original = transformer.Transform(data).GetRows(AllRows(data));
        using var rebound = loaded.WithModel(model).Transform(data).GetRows(AllRows(data));
        Assert.True(original.GetTensor(DefaultColumnNames.Features).equal(rebound.GetTensor(DefaultColumnNames.Features)));
    }

    [Fact]
    public void Attack_options_describe_an_attack_without_a_model()
    {
        using var model = new TinyModel(3, 4, 4, 5);
        var fgsm = Assert.IsType<Fgsm>(AttackOptions.Fgsm(eps: 8 / 255f).Create(model));
        Assert.Equal(8 / 255f, fgsm.Eps, 6);
        var pgd = Assert.IsType<Pgd>((AttackOptions.Pgd(norm: AttackNorm.L2) with { Targeted = true }).Create(model));
        Assert.Equal((0.5, 0.1, 10, true, true), (pgd.Eps, pgd.StepSize, pgd.Steps, pgd.RandomStart, pgd.Targeted));
    }
}
