using MlNetRobust.Models;
using MlNetRobust.Torch;

namespace MlNetRobust.Transforms.Attacks;

/// <summary>
/// What an attack climbs, J(x'), summed over the batch so each image's gradient is that of its own loss, whatever
/// the batch size (in evaluation mode images do not interact):
/// <list type="bullet">
/// <item>classifier: cross-entropy(f(x'), y); targeted: −cross-entropy(f(x'), target);</item>
/// <item>embedding model: Σ 1 − cos(f(x'), f(x)), the distance from each clean embedding;</item>
/// <item>a custom loss L(f(x'), y): L; targeted: −L.</item>
/// </list>
/// </summary>
public sealed class AttackObjective
{
    private readonly IImageModel _model;
    private readonly Tensor? _labels;
    private readonly Tensor? _cleanEmbeddings;
    private readonly bool _targeted;
    private readonly Func<Tensor, Tensor?, Tensor>? _loss;

    internal AttackObjective(IImageModel model, Tensor clean, Tensor? labels, bool targeted, Func<Tensor, Tensor?, Tensor>? loss)
    {
        (_model, _labels, _targeted, _loss) = (model, labels, targeted, loss);
        if (loss is null && model.Output == ImageModelOutput.Embedding)
        {
            using (torch.no_grad())
            {
                _cleanEmbeddings = torch.nn.functional.normalize(model.Forward(clean), dim: 1);
            }
        }
    }

    /// <summary>
    /// True when J has no gradient at the clean images — the distance to the clean embedding is smallest there — so
    /// an attack must take its first gradient somewhere else (a random start).
    /// </summary>
    public bool StationaryAtClean => _cleanEmbeddings is not null;

    /// <summary>∇ₓJ at <paramref name="images"/>, computed with torch.autograd.grad in its own scope (the graph is freed on return).</summary>
    public Tensor Gradient(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        using var gradMode = torch.enable_grad();
        var input = images.detach().requires_grad_();
        var value = Value(_model.Forward(input));
        var gradient = torch.autograd.grad([value], [input])[0]
            ?? throw new InvalidOperationException("the attack objective does not depend on the input images");
        return gradient.MoveToOuterDisposeScope();
    }

    private Tensor Value(Tensor output)
    {
        if (_loss is not null)
        {
            var custom = _loss(output, _labels);
            return _targeted ? custom.neg() : custom;
        }
        if (_cleanEmbeddings is not null)
        {
            var cosine = torch.nn.functional.normalize(output, dim: 1).mul(_cleanEmbeddings).sum(1);
            return cosine.neg().add(1.0).sum();
        }
        var ce = torch.nn.functional.cross_entropy(output, _labels!, reduction: Reduction.Sum);
        return _targeted ? ce.neg() : ce;
    }
}
