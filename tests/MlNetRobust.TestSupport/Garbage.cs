namespace MlNetRobust.TestSupport;

/// <summary>For tests that count native objects (live tensors) before and after the code they check.</summary>
public static class Garbage
{
    /// <summary>
    /// Runs the garbage collector and every pending finalizer. Call it before taking the "before" count: tensors
    /// that earlier tests left to the finalizer would otherwise be freed at a moment the GC picks, possibly during
    /// the measured section, and show there as tensors the code under test freed (seen on a loaded CI machine).
    /// </summary>
    public static void CollectNow()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
