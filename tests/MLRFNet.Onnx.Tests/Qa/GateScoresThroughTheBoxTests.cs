using MLRFNet.Core.Manifest;
using MLRFNet.Inference;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Onnx.Tests.Qa;

/// <summary>
/// Issue 17: the gate judges a model through the box's own path (<see cref="OnnxXrayScorer"/> and its model contract),
/// not through a runner of its own. These tests compare the gate with the scorer the edge service runs.
/// </summary>
public sealed class GateScoresThroughTheBoxTests(GateModels models) : IClassFixture<GateModels>
{
    /// <summary>The edge service's scoring of the evaluation images: one <see cref="OnnxXrayScorer"/>, probabilities.</summary>
    private float[] BoxScores(string model)
    {
        using var scorer = new OnnxXrayScorer(model, new XrayScorerOptions { BatchSize = 16 });
        return scorer.Score(models.Evaluation.Samples.Select(s => s.Input).ToArray()).SelectMany(r => r.Probabilities).ToArray();
    }

    [Fact]
    public void The_gate_scores_are_exactly_the_box_scorers_scores_for_both_models()
    {
        // Catches: the gate judging numbers the box would not produce (another runner, other session settings, another
        // output, images out of order).
        var outcome = QualityGate.Run(models.Reference, models.Int8, models.Evaluation, GateModels.FastOptions);
        Assert.Equal(BoxScores(models.Reference), outcome.ReferenceScores.Scores.ToArray());
        Assert.Equal(BoxScores(models.Int8), outcome.CandidateScores.Scores.ToArray());
        Assert.Equal("probabilities", outcome.Report.OutputName);
    }

    [Fact]
    public void A_model_the_box_contract_rejects_is_rejected_by_the_gate_with_the_same_message()
    {
        // The fixture's symbolic H and W: ORT runs it, the box refuses it (its manifest says 64 px). The old gate ran
        // its own ONNX Runtime session and would have judged (and passed) a model no box can load.
        var unfit = Path.Combine(models.Folder, "conv_stack_symbolic_size.onnx");
        File.Copy(TestModels.ConvStack, unfit, overwrite: true);
        GateModels.WriteManifest(unfit, ModelPrecision.Fp16);
        var box = Assert.Throws<ModelContractException>(() => new OnnxXrayScorer(unfit));
        var gate = Assert.Throws<ModelContractException>(() => QualityGate.Run(models.Reference, unfit, models.Evaluation, GateModels.FastOptions));
        Assert.Equal(box.Message, gate.Message);
        Assert.Contains("does not follow MLRFNet's I/O contract", gate.Message);
    }

    [Fact]
    public void A_candidate_without_a_manifest_is_refused_as_the_box_refuses_it()
    {
        var bare = Path.Combine(models.Folder, "conv_stack_int8_bare.onnx");
        File.Copy(models.Int8, bare, overwrite: true);
        File.Delete(ModelManifest.ManifestPathFor(bare));
        var box = Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer(bare));
        var gate = Assert.Throws<ModelRefusedException>(() => QualityGate.Run(models.Reference, bare, models.Evaluation, GateModels.FastOptions));
        Assert.Equal(box.Message, gate.Message);
    }
}
