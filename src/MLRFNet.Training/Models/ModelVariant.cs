using MLRFNet.Core.Preprocessing;
using MLRFNet.Training.Models.Backbones;
using MLRFNet.Training.Models.Heads;

namespace MLRFNet.Training.Models;

/// <summary>
/// One architecture variant: a few lines of data (timm's <c>model_cfgs</c>), resolved by name in
/// <see cref="ModelVariants"/> and stored whole inside every checkpoint so a checkpoint never depends on the registry.
/// </summary>
/// <param name="Name">Registry key, e.g. <c>mlrfnet</c>.</param>
/// <param name="Description">One line for <c>mlrfnet info</c>.</param>
/// <param name="Backbone">Backbone shape.</param>
/// <param name="UseEca">ECA on the levels the head reads (paper eq. 1); false for the no-ECA ablation.</param>
/// <param name="Head">Classifier.</param>
/// <param name="Preprocessing">Input convention the backbone's pretrained weights expect.</param>
/// <param name="ReferenceLayout">The public model whose state_dict keys the backbone reproduces.</param>
public sealed record ModelVariant(
    string Name,
    string Description,
    BackboneConfig Backbone,
    bool UseEca,
    HeadConfig Head,
    PreprocessingSpec Preprocessing,
    string ReferenceLayout)
{
    public ModelVariant Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("A model variant needs a name.");
        Backbone.Validate();
        Preprocessing.Validate();
        if (Head.Kind == HeadKind.MultiLevelResidual && Head.Lambdas.Count != 3)
            throw new ArgumentException($"Variant '{Name}': MRFC needs 3 lambdas (U2, U3, U4), got {Head.Lambdas.Count}.");
        return this;
    }
}
