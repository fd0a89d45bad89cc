using MlNetRobust.Data;
using MlNetRobust.Estimators;
using MlNetRobust.Torch;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class ProbabilityTests
{
    [Fact]
    public void Probability_zero_returns_the_images_exactly()
    {
        var noise = new RobustContext(1).Transforms.GaussianNoise(std: 0.3, p: 0).Transformer;
        using var images = Random(50, 8, 8);
        using var output = noise.Apply(images, Ids(50));
        Assert.True(output.equal(images));
        Assert.False(ReferenceEquals(output, images));
    }

    [Fact]
    public void Probability_one_perturbs_every_row()
    {
        var noise = new RobustContext(1).Transforms.GaussianNoise(p: 1).Transformer;
        using var images = Random(50, 8, 8);
        using var output = noise.Apply(images, Ids(50));
        Assert.All(RowsChanged(output, images), Assert.True);
    }

    [Fact]
    public void Probability_three_tenths_perturbs_about_three_tenths_of_two_thousand_rows()
    {
        var noise = new RobustContext(1).Transforms.GaussianNoise(p: 0.3).Transformer;
        using var images = Random(2000, 4, 4);
        using var output = noise.Apply(images, Ids(2000));
        var changed = RowsChanged(output, images);
        Assert.InRange(changed.Count(c => c), 540, 660); // 600 ± 3σ
        Assert.Equal(noise.SelectRows(Ids(2000)), changed);
    }

    [Fact]
    public void The_rows_drawn_depend_on_the_salt()
    {
        var noise = new RobustContext(1).Transforms.GaussianNoise(p: 0.5).Transformer;
        var epoch0 = noise.SelectRows(Ids(400), salt: 0);
        var epoch1 = noise.SelectRows(Ids(400), salt: 1);
        Assert.NotEqual(epoch0, epoch1);
        Assert.InRange(epoch0.Zip(epoch1).Count(p => p.First == p.Second), 140, 260);
    }

    [Fact]
    public void Raising_p_keeps_the_parameters_of_rows_already_drawn()
    {
        using var images = Random(200, 4, 4);
        var low = new RobustContext(1).Transforms.GaussianNoise(p: 0.3, seed: 9).Transformer;
        var high = new RobustContext(1).Transforms.GaussianNoise(p: 0.6, seed: 9).Transformer;
        using var a = low.Apply(images, Ids(200));
        using var b = high.Apply(images, Ids(200));
        var inLow = low.SelectRows(Ids(200));
        for (var i = 0; i < 200; i++)
        {
            if (inLow[i])
            {
                using var ra = a.narrow(0, i, 1);
                using var rb = b.narrow(0, i, 1);
                Assert.True(ra.equal(rb));
            }
        }
    }

    [Fact]
    public void Transform_is_Apply_with_salt_zero_and_keeps_the_other_columns()
    {
        using var images = Random(10, 8, 8);
        var schema = new DataViewSchema([(DefaultColumnNames.Features, new TensorType(ScalarType.Float32, [3, 8, 8])), ("Name", TextType.Instance)]);
        using var view = new InMemoryDataView(schema, new Dictionary<string, object>
        {
            [DefaultColumnNames.Features] = images.clone(),
            ["Name"] = Enumerable.Range(0, 10).Select(i => $"row{i}").ToArray(),
        });
        var noise = new RobustContext(2).Transforms.GaussianNoise(p: 0.5);
        var transformed = noise.Fit(view).Transform(view);
        using var batch = transformed.GetRows([3, 7, 1]);
        using var expected = noise.Transformer.Apply(images.index_select(0, torch.tensor(new long[] { 3, 7, 1 })), [3, 7, 1], 0);
        Assert.True(batch.GetTensor(DefaultColumnNames.Features).equal(expected));
        Assert.Equal(["row3", "row7", "row1"], batch.GetText("Name"));
    }

    [Fact]
    public void An_output_column_can_keep_the_clean_images_beside_the_perturbed_ones()
    {
        using var images = Random(4, 8, 8);
        using var view = View(images);
        var noise = new RobustContext(2).Transforms.GaussianNoise(p: 1, outputColumnName: "Noisy", inputColumnName: DefaultColumnNames.Features);
        var transformed = noise.Fit(view).Transform(view);
        Assert.Equal([DefaultColumnNames.Features, "Noisy"], transformed.Schema.Select(c => c.Name));
        using var batch = transformed.GetRows(Ids(4));
        Assert.True(batch.GetTensor(DefaultColumnNames.Features).equal(images));
        Assert.All(RowsChanged(batch.GetTensor("Noisy"), images), Assert.True);
    }

    [Fact]
    public void A_bad_probability_or_input_column_fails_with_a_clear_message()
    {
        var ctx = new RobustContext(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Transforms.GaussianNoise(p: 1.5));
        using var view = View(Random(2, 4, 4));
        var e = Assert.Throws<SchemaException>(() => ctx.Transforms.GaussianNoise(inputColumnName: "Pixels").Fit(view));
        Assert.Contains("'Pixels'", e.Message);
        var text = new DataViewSchema([(DefaultColumnNames.Features, TextType.Instance)]);
        var e2 = Assert.Throws<SchemaException>(() => ctx.Transforms.HorizontalFlip().GetOutputSchema(text));
        Assert.Contains("float32 images", e2.Message);
        var gray = new DataViewSchema([(DefaultColumnNames.Features, new TensorType(ScalarType.Float32, [1, 8, 8]))]);
        Assert.Throws<SchemaException>(() => ctx.Transforms.ColorJitter().GetOutputSchema(gray));
        ctx.Transforms.GaussianNoise().GetOutputSchema(gray); // noise takes any channel count
    }

    [Fact]
    public void Perturbations_chain_with_Append()
    {
        var ctx = new RobustContext(3);
        using var view = View(Random(6, 8, 8));
        var chain = ctx.Transforms.HorizontalFlip(p: 1).Append(ctx.Transforms.GaussianNoise(p: 0));
        using var model = chain.Fit(view);
        using var raw = Random(6, 8, 8);
        using var expected = raw.flip(3);
        using var output = ReadAll(model.Transform(view));
        Assert.True(output.equal(expected));
    }
}
