using MlNetRobust.Data;
using MlNetRobust.Torch;

namespace MlNetRobust.Trainers.Training;

/// <summary>
/// Images and labels a training loop reads batches from: either read into memory once (one float tensor,
/// fast random access) or fetched from the view per batch (for data that does not fit).
/// </summary>
internal sealed class TrainingData : IDisposable
{
    private readonly IDataView _view;
    private readonly string _featureColumn;
    private readonly string _labelColumn;
    private readonly Tensor? _images;
    private readonly Tensor? _labels;
    private readonly long[] _rowIds;

    public TrainingData(IDataView view, string featureColumn, string labelColumn, bool cache)
    {
        (_view, _featureColumn, _labelColumn) = (view, featureColumn, labelColumn);
        Labels = view.ReadKeys(labelColumn);
        _rowIds = new long[view.RowCount];
        if (!cache)
        {
            for (var i = 0; i < _rowIds.Length; i++)
            {
                _rowIds[i] = i;
            }
            return;
        }
        var images = new List<Tensor>();
        var position = 0;
        try
        {
            foreach (var batch in view.GetBatches(512))
            {
                using (batch)
                {
                    images.Add(batch.GetTensor(featureColumn).to(ScalarType.Float32).DetachFromDisposeScope());
                    batch.RowIds.CopyTo(_rowIds, position);
                    position += batch.Count;
                }
            }
            _images = images.Count == 0 ? throw new ArgumentException("the training data has no rows") : torch.cat(images, 0).DetachFromDisposeScope();
            _labels = torch.tensor(Labels.Select(l => (long)l).ToArray()).DetachFromDisposeScope();
        }
        finally
        {
            foreach (var t in images)
            {
                t.Dispose();
            }
        }
    }

    public int Count => Labels.Length;

    /// <summary>Class index of every row, in view order.</summary>
    public int[] Labels { get; }

    /// <summary>Images [n, 3, H, W], labels [n] and source row ids of the rows at the given positions.</summary>
    public (Tensor Images, Tensor Labels, long[] RowIds) Get(long[] positions)
    {
        if (_images is not null)
        {
            using var index = torch.tensor(positions);
            return (_images.index_select(0, index), _labels!.index_select(0, index), positions.Select(p => _rowIds[p]).ToArray());
        }
        using var batch = _view.GetRows(positions);
        return (batch.GetTensor(_featureColumn).to(ScalarType.Float32), batch.GetKeysAsTensor(_labelColumn), batch.RowIds);
    }

    public void Dispose()
    {
        _images?.Dispose();
        _labels?.Dispose();
    }
}
