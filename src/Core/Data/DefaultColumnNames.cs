namespace MlNetRobust.Data;

/// <summary>The column names the catalogs use unless told otherwise (as ML.NET's DefaultColumnNames).</summary>
public static class DefaultColumnNames
{
    public const string ImagePath = "ImagePath";
    public const string Image = "Image";
    public const string Label = "Label";
    public const string Features = "Features";
    public const string Embedding = "Embedding";
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";
    public const string RowId = "RowId";
}
