using MlNetRobust.Data;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Transforms.Tests.Data;

public class CifarBinaryLoaderTests
{
    private readonly RobustContext _ctx = new(seed: 1);

    /// <summary>Records in the official layout: label byte, then the R, G and B planes of 32x32 pixels.</summary>
    internal static byte[] Records(params int[] labels)
    {
        var data = new byte[labels.Length * 3073];
        for (var r = 0; r < labels.Length; r++)
        {
            data[r * 3073] = (byte)labels[r];
            var hwc = TestFiles.Pattern(32, 32, 3, seed: r);
            for (var c = 0; c < 3; c++)
            {
                for (var p = 0; p < 1024; p++)
                {
                    data[r * 3073 + 1 + c * 1024 + p] = hwc[p * 3 + c];
                }
            }
        }
        return data;
    }

    private static string WriteSet(TempFolder dir, string file, byte[] data, string? meta = "plane\ncar\nbird\n")
    {
        var folder = dir["cifar-10-batches-bin"];
        Directory.CreateDirectory(folder);
        if (meta is not null)
        {
            File.WriteAllText(Path.Combine(folder, "batches.meta.txt"), meta);
        }
        File.WriteAllBytes(Path.Combine(folder, file), data);
        return Path.Combine(folder, file);
    }

    [Fact]
    public void Records_become_rgb_images_with_labels_and_class_names_from_the_meta_file()
    {
        using var dir = new TempFolder();
        var file = WriteSet(dir, "test_batch.bin", Records(2, 0, 1));

        var view = _ctx.Data.LoadFromCifarBinary(dir.Path, CifarSplit.Test);

        Assert.Equal(["plane", "car", "bird"], view.ClassNames);
        Assert.Equal("Image<32x32, 3 channels>", view.Schema[DefaultColumnNames.Image].Type.ToString());
        using var batch = view.GetRows([2, 0]);
        Assert.Equal([1, 2], batch.GetKeys(DefaultColumnNames.Label));
        Assert.Equal([$"{file}#2", $"{file}#0"], batch.GetText(DefaultColumnNames.ImagePath));
        var images = batch.GetImages(DefaultColumnNames.Image);
        Assert.Equal(TestFiles.Pattern(32, 32, 3, seed: 2), images[0].Pixels);
        Assert.Equal(TestFiles.Pattern(32, 32, 3, seed: 0), images[1].Pixels);
    }

    [Fact]
    public void The_train_split_reads_the_five_data_batches_in_order()
    {
        using var dir = new TempFolder();
        for (var i = 1; i <= 5; i++)
        {
            WriteSet(dir, $"data_batch_{i}.bin", Records(i % 3, (i + 1) % 3));
        }
        var view = _ctx.Data.LoadFromCifarBinary(dir["cifar-10-batches-bin"]);
        Assert.Equal(10, view.RowCount);
        Assert.Equal([1, 2, 2, 0, 0, 1, 1, 2, 2, 0], view.Labels);
        Assert.EndsWith("data_batch_5.bin", view.Files[4]);
    }

    [Fact]
    public void Missing_files_are_listed_and_a_missing_meta_file_means_cifar10s_class_names()
    {
        using var dir = new TempFolder();
        WriteSet(dir, "data_batch_1.bin", Records(9), meta: null);

        var error = Assert.Throws<FileNotFoundException>(() => _ctx.Data.LoadFromCifarBinary(dir.Path));
        Assert.Contains("data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin", error.Message);
        Assert.Contains("PrepareCifar10", error.Message);

        var single = _ctx.Data.LoadFromCifarBinary(dir["cifar-10-batches-bin/data_batch_1.bin"]);
        Assert.Equal(Cifar10.ClassNames, single.ClassNames);
        Assert.Equal([9], single.Labels);
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => _ctx.Data.LoadFromCifarBinary(dir["nowhere"])).Message);
    }

    [Fact]
    public void A_file_whose_length_is_not_a_multiple_of_3073_fails_or_loses_only_its_tail_with_skipInvalid()
    {
        using var dir = new TempFolder();
        var file = WriteSet(dir, "test_batch.bin", Records(0, 1)[..(3073 + 1000)]);

        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromCifarBinary(file));
        Assert.Contains($"'{file}': length 4073 is not a multiple of 3073", error.Message);
        Assert.Contains("1 whole records and 1000 bytes over", error.Message);

        var view = _ctx.Data.LoadFromCifarBinary(file, skipInvalid: true);
        Assert.Equal(1, view.RowCount);
        Assert.Equal($"{file}#1", Assert.Single(view.Skipped).Path);
        Assert.Contains("incomplete record (1000 of 3073 bytes)", view.Skipped[0].Reason);
    }

    [Fact]
    public void A_label_outside_the_class_list_fails_naming_the_record_or_is_skipped()
    {
        using var dir = new TempFolder();
        var file = WriteSet(dir, "test_batch.bin", Records(0, 1, 7, 2));

        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromCifarBinary(file));
        Assert.Contains($"'{file}', record 2 (byte offset 6146): label 7 is outside the 3 classes (0..2)", error.Message);

        var view = _ctx.Data.LoadFromCifarBinary(file, skipInvalid: true);
        Assert.Equal([0, 1, 2], view.Labels);
        Assert.Equal(new SkippedItem($"{file}#2", "label 7 is outside the 3 classes (0..2)"), Assert.Single(view.Skipped));
    }

    [Fact]
    public void An_empty_file_fails()
    {
        using var dir = new TempFolder();
        var file = WriteSet(dir, "test_batch.bin", []);
        Assert.Contains("is empty", Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromCifarBinary(file)).Message);
    }
}
