using System.Diagnostics;
using MlNetRobust.Torch;
using MlNetRobust.Torch.Optimizers;
using MlNetRobust.Trainers.Models;
using MlNetRobust.Transforms.Sampling;

namespace MlNetRobust.Trainers.Training;

/// <summary>
/// The one training loop every image trainer uses: seeded data order, per-epoch augmentation, optimiser and
/// scheduler, validation and best-epoch selection, early stopping, atomic checkpoints with exact resume,
/// NaN detection, and progress events. The objective supplies the loss.
/// Determinism: data order and augmentation derive from (seed, epoch, row id), never from mutable generator
/// state, so a resumed run replays exactly what an uninterrupted one would have done.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly ImageNetwork _network;
    private readonly ImageTrainerOptions _options;
    private readonly ITrainingObjective _objective;
    private readonly ulong _seed;

    public TrainingLoop(ImageNetwork network, ImageTrainerOptions options, ITrainingObjective objective, ulong seed)
    {
        (_network, _options, _objective, _seed) = (network, options, objective, seed);
    }

    /// <summary>Produces each epoch's batches as positions into the training data; null: a seeded shuffle.</summary>
    public IBatchSampler? Sampler { get; init; }

    /// <summary>Augments a training batch (images in [0, 1], source row ids, salt = epoch).</summary>
    public Func<Tensor, long[], ulong, Tensor>? Augmentation { get; init; }

    public TrainingHistory Run(TrainingData train, TrainingData? validation)
    {
        var net = _network.Net;
        using var optimizer = CreateOptimizer(net.parameters());
        // Exact, so that progress and OneCycle's total step count match the batches the epoch really has.
        var batchesPerEpoch = Sampler?.BatchesPerEpoch ?? (int)Math.Ceiling(train.Count / (double)_options.BatchSize);
        var scheduler = CreateScheduler(optimizer, batchesPerEpoch);
        var history = new TrainingHistory();
        OrderedDictionary<string, Tensor>? best = null;
        var startEpoch = 0;
        var fingerprint = _options.Fingerprint();
        try
        {
            if (_options.CheckpointFolder is { } folder && File.Exists(Checkpoint.PathIn(folder)))
            {
                startEpoch = Resume(folder, fingerprint, optimizer, scheduler, ref history, ref best);
            }
            var patienceLeft = _options.EarlyStoppingPatience;
            for (var epoch = startEpoch + 1; epoch <= _options.Epochs && !history.StoppedEarly; epoch++)
            {
                var metrics = TrainEpoch(epoch, train, optimizer, scheduler, batchesPerEpoch);
                if (_options.Scheduler is SchedulerKind.Step or SchedulerKind.Cosine)
                {
                    scheduler!.step();
                }
                if (validation is not null)
                {
                    var (loss, accuracy) = Validate(epoch, validation);
                    metrics = metrics with { ValidationLoss = loss, ValidationAccuracy = accuracy };
                    if (history.BestValidationAccuracy is null || accuracy > history.BestValidationAccuracy)
                    {
                        history.BestValidationAccuracy = accuracy;
                        history.BestEpoch = epoch;
                        DisposeAll(best);
                        best = CopyState(net.state_dict());
                        patienceLeft = _options.EarlyStoppingPatience;
                    }
                    else if (patienceLeft is not null && --patienceLeft <= 0)
                    {
                        history.StoppedEarly = true;
                    }
                }
                history.Epochs.Add(metrics);
                if (_options.CheckpointFolder is { } checkpointFolder)
                {
                    using var optimizerState = new DisposableState(optimizer.state_dict());
                    Checkpoint.Write(checkpointFolder, new Checkpoint.State(Checkpoint.Version, fingerprint, epoch, scheduler?.LastStep ?? 0, history),
                        net.state_dict(), optimizerState.Tensors, best);
                }
                Report(new TrainingProgress(TrainingPhase.EpochEnd, epoch, _options.Epochs, batchesPerEpoch, batchesPerEpoch, metrics.TrainLoss,
                    metrics.TrainAccuracy ?? metrics.TrainAdversarialAccuracy ?? 0, metrics.ImagesPerSecond, TimeSpan.Zero, TimeSpan.Zero, optimizer.LearningRate, metrics));
            }
            if (best is not null && _options.RestoreBestWeights)
            {
                net.load_state_dict(best);
            }
            else if (validation is null)
            {
                history.BestEpoch = history.Epochs.Count;
            }
            return history;
        }
        finally
        {
            DisposeAll(best);
        }
    }

    private EpochMetrics TrainEpoch(int epoch, TrainingData train, Optimizer optimizer, LRScheduler? scheduler, int batchesPerEpoch)
    {
        using var mode = _network.TrainingMode();
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long correct = 0, seen = 0, adversarialCorrect = 0, adversarialSeen = 0, adversarialBatches = 0;
        var batch = 0;
        foreach (var positions in Sampler?.GetBatches(epoch) ?? DefaultOrder(epoch, train))
        {
            batch++;
            using var scope = torch.NewDisposeScope();
            var (images, labels, rowIds) = train.Get(positions);
            if (Augmentation is not null)
            {
                images = Augmentation(images, rowIds, (ulong)epoch);
            }
            var outcome = _objective.TrainingStep(_network, images, labels, new BatchContext(epoch, batch, rowIds, _seed));
            var loss = outcome.Loss.item<float>();
            if (!float.IsFinite(loss))
            {
                var where = _options.CheckpointFolder is { } f && File.Exists(Checkpoint.PathIn(f))
                    ? $"the last good checkpoint is {Checkpoint.PathIn(f)}" : "no checkpoint was written yet";
                throw new TrainingDivergedException($"training diverged: the loss is {loss} at epoch {epoch}, batch {batch}; {where}. Try a lower learning rate.");
            }
            optimizer.zero_grad();
            outcome.Loss.backward();
            optimizer.step();
            if (_options.Scheduler == SchedulerKind.OneCycle)
            {
                scheduler!.step();
            }
            lossSum += loss * positions.Length;
            if (outcome.Adversarial)
            {
                adversarialCorrect += outcome.Correct;
                adversarialSeen += positions.Length;
                adversarialBatches++;
            }
            else
            {
                correct += outcome.Correct;
                seen += positions.Length;
            }
            var done = seen + adversarialSeen;
            var rate = done / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            var secondsPerBatch = clock.Elapsed.TotalSeconds / batch;
            var batchesLeft = Math.Max(0, batchesPerEpoch - batch) + (_options.Epochs - epoch) * batchesPerEpoch;
            Report(new TrainingProgress(TrainingPhase.Train, epoch, _options.Epochs, batch, batchesPerEpoch, lossSum / done,
                seen > 0 ? correct / (double)seen : adversarialCorrect / (double)Math.Max(adversarialSeen, 1), rate,
                clock.Elapsed, TimeSpan.FromSeconds(secondsPerBatch * batchesLeft), optimizer.LearningRate));
        }
        var total = seen + adversarialSeen;
        return new EpochMetrics(epoch, lossSum / Math.Max(total, 1), seen > 0 ? correct / (double)seen : null, null, null, optimizer.LearningRate,
            clock.Elapsed.TotalSeconds, total / Math.Max(clock.Elapsed.TotalSeconds, 1e-9))
        {
            TrainAdversarialAccuracy = adversarialSeen > 0 ? adversarialCorrect / (double)adversarialSeen : null,
            PerturbedBatchShare = adversarialBatches > 0 ? adversarialBatches / (double)batch : null,
        };
    }

    private IEnumerable<long[]> DefaultOrder(int epoch, TrainingData train)
    {
        using var generator = new Generator(SeedMixer.Mix(_seed, epoch, 0x0D0E));
        long[] order;
        using (var permutation = torch.randperm(train.Count, generator))
        {
            order = permutation.data<long>();
        }
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            yield return order[start..Math.Min(order.Length, start + _options.BatchSize)];
        }
    }

    private (double Loss, double Accuracy) Validate(int epoch, TrainingData validation)
    {
        using var mode = _network.EvaluationMode();
        using var noGrad = torch.no_grad();
        double lossSum = 0;
        long correct = 0;
        var batches = (int)Math.Ceiling(validation.Count / (double)_options.BatchSize);
        // Validation data usually comes sorted by class; batch-level measures (a metric loss, leave-one-out 1-NN
        // within the batch) need batches that mix the classes, so every epoch reads it in the same shuffled order.
        var order = ValidationOrder(validation.Count);
        for (var b = 0; b < batches; b++)
        {
            using var scope = torch.NewDisposeScope();
            var positions = order.Skip(b * _options.BatchSize).Take(_options.BatchSize).ToArray();
            var (images, labels, _) = validation.Get(positions);
            var (loss, right) = _objective.Validate(_network, images, labels);
            lossSum += loss;
            correct += right;
            Report(new TrainingProgress(TrainingPhase.Validate, epoch, _options.Epochs, b + 1, batches, lossSum / ((b + 1) * (double)_options.BatchSize), 0, 0, TimeSpan.Zero, TimeSpan.Zero, 0));
        }
        return (lossSum / validation.Count, correct / (double)validation.Count);
    }

    /// <summary>A fixed permutation of the validation rows (independent of the run's seed, so runs compare).</summary>
    private static long[] ValidationOrder(int count)
    {
        var order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        new Random(0x5EED).Shuffle(order);
        return order;
    }

    private int Resume(string folder, string fingerprint, Optimizer optimizer, LRScheduler? scheduler, ref TrainingHistory history, ref OrderedDictionary<string, Tensor>? best)
    {
        var (state, model, optimizerState, bestState) = Checkpoint.Read(folder);
        try
        {
            if (state.Fingerprint != fingerprint && !CanExtend(state))
            {
                throw new InvalidOperationException($"the checkpoint in '{folder}' was written by a run with other options ({state.Fingerprint}); this run has ({fingerprint}). Delete it or use another checkpoint folder.");
            }
            _network.Net.load_state_dict(model);
            optimizer.load_state_dict(optimizerState);
            scheduler?.SetStep(state.SchedulerStep);
            history = state.History;
            history.ResumedEpochs = state.EpochsDone;
            best = bestState;
            bestState = null;
            return state.EpochsDone;
        }
        finally
        {
            DisposeAll(model);
            DisposeAll(optimizerState);
            DisposeAll(bestState);
        }
    }

    /// <summary>
    /// A finished run of the same options with fewer epochs can be continued: everything it did is what this longer
    /// run would have done first — unless the learning-rate schedule depends on the total number of epochs.
    /// </summary>
    private bool CanExtend(Checkpoint.State state) =>
        _options.Scheduler is SchedulerKind.None or SchedulerKind.Step
        && state.EpochsDone < _options.Epochs
        && !state.History.StoppedEarly
        && state.Fingerprint == _options.FingerprintWithEpochs(state.EpochsDone);

    private Optimizer CreateOptimizer(IEnumerable<Tensor> parameters) => _options.Optimizer switch
    {
        OptimizerKind.Adam => new Adam(parameters, _options.LearningRate, weightDecay: _options.WeightDecay),
        OptimizerKind.AdamW => new AdamW(parameters, _options.LearningRate, weightDecay: _options.WeightDecay),
        OptimizerKind.Sgd => new SGD(parameters, _options.LearningRate, _options.Momentum, weightDecay: _options.WeightDecay, nesterov: _options.Nesterov),
        _ => throw new ArgumentOutOfRangeException(nameof(_options.Optimizer), _options.Optimizer, "unknown optimizer"),
    };

    private LRScheduler? CreateScheduler(Optimizer optimizer, int batchesPerEpoch) => _options.Scheduler switch
    {
        SchedulerKind.None => null,
        SchedulerKind.Step => new StepLR(optimizer, _options.StepSize, _options.Gamma),
        SchedulerKind.Cosine => new CosineAnnealingLR(optimizer, _options.Epochs),
        SchedulerKind.OneCycle => new OneCycleLR(optimizer, _options.LearningRate, Math.Max(2, _options.Epochs * batchesPerEpoch)),
        _ => throw new ArgumentOutOfRangeException(nameof(_options.Scheduler), _options.Scheduler, "unknown scheduler"),
    };

    private void Report(TrainingProgress progress) => _options.Progress?.Report(progress);

    private static OrderedDictionary<string, Tensor> CopyState(OrderedDictionary<string, Tensor> state)
    {
        var copy = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in state)
        {
            using var detached = v.detach();
            copy[k] = detached.clone().DetachFromDisposeScope();
        }
        return copy;
    }

    private static void DisposeAll(OrderedDictionary<string, Tensor>? state)
    {
        if (state is null)
        {
            return;
        }
        foreach (var t in state.Values)
        {
            t.Dispose();
        }
    }

    private sealed class DisposableState(Dictionary<string, Tensor> tensors) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = tensors;

        public void Dispose()
        {
            foreach (var t in Tensors.Values)
            {
                t.Dispose();
            }
        }
    }
}
