namespace MlNetRobust.Transforms.Umap;

/// <summary>Where a <see cref="UmapLayout"/> stands: reported after initialisation (epoch 0) and after every epoch.</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="EpochCount">Epochs the layout will run in all.</param>
/// <param name="Elapsed">Time since <see cref="UmapLayout.Initialize"/> started.</param>
public readonly record struct UmapProgress(int Epoch, int EpochCount, TimeSpan Elapsed)
{
    public double Fraction => EpochCount == 0 ? 1 : (double)Epoch / EpochCount;
}
