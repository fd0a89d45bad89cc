namespace MlNetRobust.Trainers.Tests;

/// <summary>
/// Tests that count live native tensors (a process-wide number) run alone, after the parallel ones, so that
/// other tests' tensors do not disturb the count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainersNativeMemoryCollection
{
    public const string Name = "Trainers native memory (runs alone: it counts live tensors)";
}
