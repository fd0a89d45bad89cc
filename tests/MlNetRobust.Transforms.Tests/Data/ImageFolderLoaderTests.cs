using MlNetRobust.Data;
using MlNetRobust.Transforms.Data;

namespace MlNetRobust.Transforms.Tests.Data;

public class ImageFolderLoaderTests
{
    private readonly RobustContext _ctx = new(seed: 1);

    [Fact]
    public void Classes_are_the_sub_folders_sorted_ordinally_and_files_are_sorted_within_them()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["b_dog/2.jpg"]);
        TestFiles.WriteJpeg(dir["b_dog/10.jpg"]);
        TestFiles.WriteBmp(dir["a_cat/x.BMP"]);
        TestFiles.Copy("rgb.png", dir["B_upper/y.Png"]);
        TestFiles.WriteJpeg(dir["a_cat/z.JPEG"]);

        using var view = _ctx.Data.LoadFromImageFolder(dir.Path, cache: false);

        Assert.Equal(["B_upper", "a_cat", "b_dog"], view.ClassNames); // ordinal: upper case first
        Assert.Equal([dir["B_upper/y.Png"], dir["a_cat/x.BMP"], dir["a_cat/z.JPEG"], dir["b_dog/10.jpg"], dir["b_dog/2.jpg"]], view.Paths);
        using var batch = TestFiles.ReadAll(view);
        Assert.Equal([0, 1, 1, 2, 2], batch.GetKeys(DefaultColumnNames.Label));
        Assert.Equal(view.Paths, batch.GetText(DefaultColumnNames.ImagePath));
        Assert.Equal(["B_upper", "a_cat", "b_dog"], ((KeyType)view.Schema[DefaultColumnNames.Label].Type).Names);
        Assert.All(batch.GetImages(DefaultColumnNames.Image), image => Assert.Equal(3, image.Channels));
        Assert.Empty(view.Skipped);
    }

    [Fact]
    public void Images_in_nested_folders_belong_to_their_top_level_class_folder()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["cat/indoor/sofa/1.jpg"]);
        TestFiles.WriteJpeg(dir["cat/0.jpg"]);
        TestFiles.WriteJpeg(dir["dog/outdoor/1.jpg"]);

        using var view = _ctx.Data.LoadFromImageFolder(dir.Path, cache: false);

        Assert.Equal(["cat", "dog"], view.ClassNames);
        Assert.Equal([dir["cat/0.jpg"], dir["cat/indoor/sofa/1.jpg"], dir["dog/outdoor/1.jpg"]], view.Paths);
        Assert.Equal([0, 0, 1], view.Labels);
    }

    [Fact]
    public void Non_image_files_hidden_files_and_files_outside_class_folders_are_skipped_and_reported()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["cat/1.jpg"]);
        TestFiles.WriteText(dir["cat/README.txt"], "about cats");
        TestFiles.WriteText(dir["cat/.DS_Store"], "finder");
        TestFiles.WriteJpeg(dir[".thumbnails/1.jpg"]);
        TestFiles.WriteText(dir["LICENSE"], "cc");
        TestFiles.Copy("rgb.gif", dir["cat/anim.gif"]);

        using var view = _ctx.Data.LoadFromImageFolder(dir.Path, cache: false);

        Assert.Equal(1, view.RowCount);
        Assert.Equal(["cat"], view.ClassNames);
        var skipped = view.Skipped.ToDictionary(s => Path.GetRelativePath(dir.Path, s.Path), s => s.Reason);
        Assert.Equal(5, skipped.Count);
        Assert.Contains("not an image file name", skipped[Path.Combine("cat", "README.txt")]);
        Assert.Contains("not an image file name (extension '.gif'", skipped[Path.Combine("cat", "anim.gif")]);
        Assert.Contains("hidden", skipped[Path.Combine("cat", ".DS_Store")]);
        Assert.Contains("hidden folder", skipped[".thumbnails"]);
        Assert.Contains("not inside a class folder", skipped["LICENSE"]);
    }

    [Fact]
    public void A_missing_folder_fails_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<DirectoryNotFoundException>(() => _ctx.Data.LoadFromImageFolder(missing, cache: false));
        Assert.Contains($"image folder '{missing}' does not exist", error.Message);
    }

    [Fact]
    public void An_empty_class_folder_fails_naming_the_class()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["cat/1.jpg"]);
        Directory.CreateDirectory(dir["dog"]);
        TestFiles.WriteText(dir["emu/notes.txt"], "todo");

        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromImageFolder(dir.Path, cache: false));
        Assert.Contains("class folder 'dog'", error.Message);
        Assert.Contains("contains no images", error.Message);
        Assert.Contains("it is empty", error.Message);

        Directory.Delete(dir["dog"]);
        error = Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromImageFolder(dir.Path, cache: false));
        Assert.Contains("class folder 'emu'", error.Message);
        Assert.Contains("notes.txt", error.Message);
    }

    [Fact]
    public void A_folder_without_class_folders_fails_explaining_the_layout()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["1.jpg"]);
        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromImageFolder(dir.Path, cache: false));
        Assert.Contains("has no class folders", error.Message);
    }

    [Fact]
    public void Rows_are_decoded_only_when_asked_for_so_a_bad_file_elsewhere_does_not_fail_a_batch()
    {
        using var dir = new TempFolder();
        for (var i = 0; i < 4; i++)
        {
            TestFiles.WriteJpeg(dir[$"cat/{i}.jpg"], seed: i);
        }
        TestFiles.WriteText(dir["cat/9.jpg"], "not really a jpeg");

        using var view = _ctx.Data.LoadFromImageFolder(dir.Path, cache: false);
        Assert.Equal(5, view.RowCount);
        Assert.Equal(0, view.DecodedCount);

        using (var batch = view.GetRows([3, 1]))
        {
            Assert.Equal(2, view.DecodedCount);
            Assert.Equal([dir["cat/3.jpg"], dir["cat/1.jpg"]], batch.GetText(DefaultColumnNames.ImagePath));
            Assert.Equal([8, 8], batch.GetImages(DefaultColumnNames.Image).Select(i => i.Width));
        }
        var error = Assert.Throws<InvalidDataException>(() => view.GetRows([0, 4]));
        Assert.Contains($"'{dir["cat/9.jpg"]}' (row 4): not an image", error.Message);
        Assert.Contains("1 of 2 images could not be loaded", error.Message);
        Assert.Contains("skipInvalid", error.Message);
    }

    [Fact]
    public void Every_bad_file_in_a_batch_is_named_with_its_row_and_problem()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["cat/0.jpg"]);
        File.WriteAllBytes(dir["cat/1.png"], []);
        var png = File.ReadAllBytes(TestFiles.Fixture("rgb.png"));
        File.WriteAllBytes(dir["cat/2.png"], png[..(png.Length / 2)]);
        var jpeg = File.ReadAllBytes(TestFiles.WriteJpeg(dir["cat/3.jpg"], 64, 64));
        File.WriteAllBytes(dir["cat/3.jpg"], jpeg[..(jpeg.Length * 4 / 5)]);
        TestFiles.WriteText(dir["cat/4.bmp"], "BM but not really");

        using var view = _ctx.Data.LoadFromImageFolder(dir.Path, cache: false);
        var error = Assert.Throws<InvalidDataException>(() => TestFiles.ReadAll(view)).Message;

        Assert.Contains("4 of 5 images could not be loaded", error);
        Assert.Contains($"'{dir["cat/1.png"]}' (row 1): empty file (0 bytes)", error);
        Assert.Contains($"'{dir["cat/2.png"]}' (row 2): corrupt or truncated PNG", error);
        Assert.Contains($"'{dir["cat/3.jpg"]}' (row 3): corrupt or truncated JPEG (Premature end of JPEG file)", error);
        Assert.Contains($"'{dir["cat/4.bmp"]}' (row 4): ", error);
    }

    [Fact]
    public void With_skipInvalid_bad_files_are_left_out_and_each_is_reported_with_its_reason()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["cat/0.jpg"], seed: 0);
        File.WriteAllBytes(dir["cat/1.jpg"], []);
        TestFiles.WriteJpeg(dir["dog/0.jpg"], seed: 1);
        TestFiles.WriteText(dir["dog/1.png"], "garbage");
        TestFiles.WriteText(dir["dog/notes.txt"], "a note");

        using var view = _ctx.Data.LoadFromImageFolder(dir.Path, skipInvalid: true, cache: false);

        Assert.Equal([dir["cat/0.jpg"], dir["dog/0.jpg"]], view.Paths);
        Assert.Equal([0, 1], view.Labels);
        var reasons = view.Skipped.ToDictionary(s => Path.GetFileName(s.Path), s => s.Reason);
        Assert.Equal(3, reasons.Count);
        Assert.Contains("empty file", reasons["1.jpg"]);
        Assert.Contains("not an image", reasons["1.png"]);
        Assert.Contains("not an image file name", reasons["notes.txt"]);
        Assert.Equal("Image<8x8, 3 channels>", view.Schema[DefaultColumnNames.Image].Type.ToString()); // learnt while validating
        using var batch = TestFiles.ReadAll(view);
        Assert.Equal([0, 1], batch.GetKeys(DefaultColumnNames.Label));
        Assert.Equal(TestFiles.Pattern(8, 8, 3, 1).Length, batch.GetImages(DefaultColumnNames.Image)[1].Pixels.Length);
    }

    [Fact]
    public void A_wrong_size_image_fails_when_a_fixed_size_is_expected_or_is_skipped_with_skipInvalid()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["cat/0.jpg"], 8, 8);
        TestFiles.WriteJpeg(dir["cat/1.jpg"], 16, 8);

        using var strict = _ctx.Data.LoadFromImageFolder(dir.Path, cache: false, imageSize: (8, 8));
        Assert.Equal(8, ((ImageType)strict.Schema[DefaultColumnNames.Image].Type).Width);
        var error = Assert.Throws<InvalidDataException>(() => TestFiles.ReadAll(strict));
        Assert.Contains($"'{dir["cat/1.jpg"]}' (row 1): image is 16x8 (RGB JPEG), expected 8x8", error.Message);

        using var lenient = _ctx.Data.LoadFromImageFolder(dir.Path, skipInvalid: true, cache: false, imageSize: (8, 8));
        Assert.Equal(1, lenient.RowCount);
        Assert.Contains("expected 8x8", Assert.Single(lenient.Skipped).Reason);
    }

    [Fact]
    public void Each_format_and_mode_decodes_to_the_right_rgb_pixels_after_ConvertToRgb()
    {
        using var dir = new TempFolder();
        var names = ImageCodecTests.Fixtures.Select(row => (string)row[0]).Where(ImageFolderLoader.IsImageName).ToList();
        foreach (var name in names)
        {
            TestFiles.Copy(name, dir[$"all/{name}"]);
        }
        using var view = _ctx.Data.LoadFromImageFolder(dir.Path, cache: false);
        var rgb = _ctx.Transforms.ConvertToRgb().Fit(view).Transform(view);

        using var batch = TestFiles.ReadAll(rgb);
        var images = batch.GetImages(DefaultColumnNames.Image);
        for (var i = 0; i < images.Length; i++)
        {
            var name = Path.GetFileName(images[i].Source);
            var expected = TestFiles.ExpectedRgb(name);
            var tolerance = name == "cmyk.jpg" ? 1 : 0; // PIL's CMYK → RGB rounds differently
            Assert.Equal(3, images[i].Channels);
            Assert.All(Enumerable.Range(0, expected.Length), k => Assert.InRange(images[i].Pixels[k] - expected[k], -tolerance, tolerance));
        }
        Assert.Equal(names.Count, images.Length);
        Assert.Contains(images, i => i.OriginalMode == "16-bit gray PNG");
        Assert.Contains(images, i => i.OriginalMode == "palette PNG");
    }
}
