namespace MlNetRobust.Persistence;

/// <summary>
/// A transformer that can be written into a model zip. <see cref="Kind"/> is its stable name in the manifest;
/// the class must also carry <see cref="TransformerLoaderAttribute"/> naming the same kind and have a
/// <c>public static ITransformer Load(ModelLoadContext context)</c>.
/// </summary>
public interface IPersistentTransformer : Estimators.ITransformer
{
    string Kind { get; }

    /// <summary>Version of this step's stored layout; bump it when the layout changes and keep reading old ones.</summary>
    int FormatVersion { get; }

    void Save(ModelSaveContext context);
}

/// <summary>Marks a transformer class as loadable from a model zip under the given kind.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TransformerLoaderAttribute(string kind) : Attribute
{
    public string Kind { get; } = kind;
}
