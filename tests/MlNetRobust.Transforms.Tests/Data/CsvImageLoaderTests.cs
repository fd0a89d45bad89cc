using MlNetRobust.Data;

namespace MlNetRobust.Transforms.Tests.Data;

public class CsvImageLoaderTests
{
    private readonly RobustContext _ctx = new(seed: 1);

    [Fact]
    public void Rows_list_paths_relative_to_the_csv_with_their_labels_and_an_optional_header()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["img/a.jpg"], seed: 1);
        TestFiles.WriteBmp(dir["img/b c.bmp"], seed: 2);
        TestFiles.WriteJpeg(dir["other/d.jpg"], seed: 3);
        var csv = TestFiles.WriteText(dir["lists/train.csv"], "path,label\n../img/a.jpg,dog\n\"../img/b c.bmp\",cat\n\n" + dir["other/d.jpg"] + ",dog\n");

        using var view = _ctx.Data.LoadFromCsv(csv, cache: false);

        Assert.Equal(["cat", "dog"], view.ClassNames);
        Assert.Equal([dir["img/a.jpg"], dir["img/b c.bmp"], dir["other/d.jpg"]], view.Paths);
        using var batch = TestFiles.ReadAll(view);
        Assert.Equal([1, 0, 1], batch.GetKeys(DefaultColumnNames.Label));
        Assert.Equal(TestFiles.Pattern(8, 8, 3, 2), batch.GetImages(DefaultColumnNames.Image)[1].Pixels); // BMP is lossless
    }

    [Fact]
    public void Integer_labels_are_ordered_by_value_and_explicit_class_names_fix_the_order()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["a.jpg"]);
        var csv = TestFiles.WriteText(dir["list.csv"], "a.jpg,10\na.jpg,2\na.jpg,0\n");

        using var numeric = _ctx.Data.LoadFromCsv(csv, cache: false);
        Assert.Equal(["0", "2", "10"], numeric.ClassNames);
        Assert.Equal([2, 1, 0], numeric.Labels);

        using var named = _ctx.Data.LoadFromCsv(csv, cache: false, classNames: ["10", "2", "0", "7"]);
        Assert.Equal([0, 1, 2], named.Labels);
        Assert.Equal(4, named.ClassNames.Count);
    }

    [Fact]
    public void A_missing_file_or_malformed_row_fails_naming_its_line_unless_skipInvalid()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["a.jpg"]);
        var csv = TestFiles.WriteText(dir["list.csv"], "path,label\na.jpg,cat\nmissing.jpg,dog\na.jpg\n\"a.jpg,cat\n");

        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromCsv(csv, cache: false));
        Assert.Contains("line 3 of list.csv: image file 'missing.jpg' does not exist", error.Message);

        using var view = _ctx.Data.LoadFromCsv(csv, skipInvalid: true, cache: false);
        Assert.Equal(1, view.RowCount);
        Assert.Equal(3, view.Skipped.Count);
        Assert.Contains("line 4 of list.csv: expected 2 non-empty fields", view.Skipped[1].Reason);
        Assert.Contains("line 5 of list.csv: unterminated quoted field", view.Skipped[2].Reason);
    }

    [Fact]
    public void A_label_outside_the_given_classes_fails_naming_the_line()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["a.jpg"]);
        var csv = TestFiles.WriteText(dir["list.csv"], "a.jpg,cat\na.jpg,emu\n");

        var error = Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromCsv(csv, cache: false, classNames: ["cat", "dog"]));
        Assert.Contains("line 2 of list.csv: label 'emu' is not one of the classes (cat, dog)", error.Message);
    }

    [Fact]
    public void A_corrupt_image_listed_in_a_csv_is_named_with_its_row_and_line()
    {
        using var dir = new TempFolder();
        TestFiles.WriteJpeg(dir["a.jpg"]);
        TestFiles.WriteText(dir["b.jpg"], "text");
        var csv = TestFiles.WriteText(dir["list.csv"], "a.jpg,cat\nb.jpg,dog\n");

        using var view = _ctx.Data.LoadFromCsv(csv, cache: false);
        var error = Assert.Throws<InvalidDataException>(() => TestFiles.ReadAll(view));
        Assert.Contains($"'{dir["b.jpg"]}' (row 1, line 2 of list.csv): not an image", error.Message);

        using var lenient = _ctx.Data.LoadFromCsv(csv, skipInvalid: true, cache: false);
        Assert.Equal(["cat", "dog"], lenient.ClassNames); // a class keeps its label even when all its files were bad
        Assert.Contains("(line 2 of list.csv)", Assert.Single(lenient.Skipped).Reason);
    }

    [Fact]
    public void A_missing_or_empty_csv_fails_clearly()
    {
        using var dir = new TempFolder();
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => _ctx.Data.LoadFromCsv(dir["none.csv"])).Message);
        var empty = TestFiles.WriteText(dir["empty.csv"], "path,label\n");
        Assert.Contains("lists no images", Assert.Throws<InvalidDataException>(() => _ctx.Data.LoadFromCsv(empty)).Message);
    }
}
