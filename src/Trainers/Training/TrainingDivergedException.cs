namespace MlNetRobust.Trainers.Training;

/// <summary>The loss became NaN or infinite; the last good checkpoint (if any) is left untouched.</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);
