using MlNetRobust.Trainers.Classification;

namespace MlNetRobust.Pipelines.Scenarios;

/// <summary>The research's scenarios by name (the CLI's --scenario values).</summary>
public static class ScenarioCatalog
{
    public static readonly Scenario BaselineCrossEntropy = new("baseline-ce",
        "ResNet18 with cross-entropy, pad-crop + flip augmentation (the research's baseline)",
        s => s.Context.Trainers.CrossEntropy(s.Apply(new CrossEntropyTrainer.Options())));

    public static IReadOnlyList<Scenario> All { get; } = [BaselineCrossEntropy];

    public static Scenario Get(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");
}
