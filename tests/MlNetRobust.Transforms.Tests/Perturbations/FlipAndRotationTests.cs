using MlNetRobust.Torch;
using MlNetRobust.Transforms.Perturbations;
using static MlNetRobust.Transforms.Tests.Perturbations.PerturbationKit;

namespace MlNetRobust.Transforms.Tests.Perturbations;

public class FlipAndRotationTests
{
    private static readonly RobustContext s_ctx = new(7);

    [Fact]
    public void Horizontal_flip_mirrors_the_columns_of_a_hand_made_image()
    {
        using var image = Distinct4x4();
        var flip = s_ctx.Transforms.HorizontalFlip(p: 1).Transformer;
        using var flipped = flip.Apply(image, [0]);
        var input = Values(image);
        var output = Values(flipped);
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    Assert.Equal(input[c * 16 + y * 4 + (3 - x)], output[c * 16 + y * 4 + x]);
                }
            }
        }
    }

    [Fact]
    public void Rotation_by_exactly_90_degrees_is_a_counter_clockwise_quarter_turn_equal_to_rot90()
    {
        using var image = Distinct4x4();
        var rotate = s_ctx.Transforms.RandomRotation(degrees: (90, 90), p: 1).Transformer;
        using var rotated = rotate.Apply(image, [0]);
        using var expected = image.rot90(1, -2, -1);
        Assert.True(MaxAbsDiff(rotated, expected) <= 1e-6, $"max diff {MaxAbsDiff(rotated, expected)}");
        // By hand: a counter-clockwise quarter turn puts input (row x, column 3 − y) at output (row y, column x).
        var input = Values(image);
        var output = Values(rotated);
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    Assert.Equal(input[c * 16 + x * 4 + (3 - y)], output[c * 16 + y * 4 + x], 6);
                }
            }
        }
    }

    [Theory]
    [InlineData(-90, -1)]
    [InlineData(180, 2)]
    [InlineData(270, 3)]
    public void Rotation_by_other_quarter_turns_equals_rot90(double degrees, int k)
    {
        using var image = Distinct4x4();
        using var rotated = RandomRotationTransformer.Rotate(image, [degrees]);
        using var expected = image.rot90(k, -2, -1);
        Assert.True(MaxAbsDiff(rotated, expected) <= 1e-6);
    }

    [Fact]
    public void Rotation_by_zero_degrees_is_the_identity()
    {
        using var images = Random(4, 8, 8);
        using var rotated = RandomRotationTransformer.Rotate(images, [0, 0, 0, 0]);
        Assert.True(MaxAbsDiff(rotated, images) <= 1e-6);
    }

    [Fact]
    public void Rotation_of_a_non_square_image_by_180_degrees_is_exact()
    {
        using var images = Random(2, 4, 6);
        using var rotated = RandomRotationTransformer.Rotate(images, [180, 180]);
        using var expected = images.rot90(2, -2, -1);
        Assert.True(MaxAbsDiff(rotated, expected) <= 1e-6);
    }

    [Fact]
    public void Rotation_with_zero_padding_blackens_the_corners_and_border_padding_repeats_the_edge()
    {
        using var white = Constant(1, 1.0, 8, 8);
        using var zeros = RandomRotationTransformer.Rotate(white, [45], GridPadding.Zeros);
        using var border = RandomRotationTransformer.Rotate(white, [45], GridPadding.Border);
        Assert.Equal(0f, Values(zeros)[0]); // the top-left corner comes from outside the image
        Assert.Equal(1f, Values(zeros)[8 * 3 + 4], 5); // the centre stays
        Assert.True(MaxAbsDiff(border, white) <= 1e-6);
    }

    [Fact]
    public void Each_row_is_turned_by_the_angle_its_own_stream_draws_within_the_range()
    {
        var rotate = s_ctx.Transforms.RandomRotation(degrees: 30, p: 1).Transformer;
        using var images = Random(16, 16, 16);
        var ids = Ids(16, first: 100);
        using var rotated = rotate.Apply(images, ids);
        var angles = RowRandomness.For(rotate.Seed, ids, 0).NextUniform(-30, 30);
        Assert.All(angles, a => Assert.InRange(a, -30, 30));
        Assert.True(angles.Distinct().Count() == 16);
        using var expected = RandomRotationTransformer.Rotate(images, angles);
        Assert.True(MaxAbsDiff(rotated, expected) <= 1e-6);
    }
}
