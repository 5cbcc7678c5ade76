using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Onnx.Tests.Qa;

/// <summary>
/// The three-way decision on hand-made figures: the paired CI of the mean AUC drop and the Wilson CI of the
/// flag-change share against their limits (within: pass; beyond: fail; straddling: inconclusive).
/// </summary>
public sealed class GateDecisionTests
{
    private static readonly GateThresholds Limits = GateThresholds.Int8; // mean 0.005, class 0.01, flags 3%, 10 positives, 3 classes, 50 images

    private static ClassGateResult Class(string label, bool judged = true, double difference = 0, bool passed = true) => new()
    {
        Label = label, Positives = judged ? 20 : 3, Negatives = 80, Judged = judged, ReferenceAuc = 0.8, CandidateAuc = 0.8 + difference,
        AucDifference = difference, DecisionThreshold = 0.5f, AllowedDrop = 0.01, DecisionAgreement = 1, MaxAbsProbabilityDifference = 0.01, Passed = passed,
    };

    private static readonly ClassGateResult[] ThreeJudged = [Class("A"), Class("B"), Class("C"), Class("D", judged: false)];

    /// <param name="lower">Lower end of the CI of the mean AUC difference (candidate - reference).</param>
    private static PairedComparison Comparison(double mean, double? lower, double? upper) => new()
    {
        LabelSetName = "t", Images = 100, Classes = [], DefinedClasses = 4, ReferenceMeanAuc = 0.8, CandidateMeanAuc = 0.8 + mean, MeanDifference = mean,
        MeanDifferenceInterval = lower is null ? null : new BootstrapInterval(lower, upper, 0.95, 1000, 0, 1),
    };

    [Fact]
    public void ADropWhoseWholeIntervalIsWithinTheLimitPasses()
    {
        var (verdict, reasons) = GateDecision.Decide(Limits, 200, ThreeJudged, Comparison(-0.001, -0.004, 0.002), flagChanges: 0);
        Assert.Equal(QaVerdict.Passed, verdict);
        Assert.Empty(reasons);
    }

    [Fact]
    public void AnIntervalWhoseUpperDropEndPassesTheLimitIsInconclusiveEvenWithAGoodPointEstimate()
    {
        // Before: the point estimate (a drop of 0.001) decided and the CI was only printed. Drop CI = [-0.002, 0.008].
        var (verdict, reasons) = GateDecision.Decide(Limits, 200, ThreeJudged, Comparison(-0.001, -0.008, 0.002), flagChanges: 0);
        Assert.Equal(QaVerdict.Inconclusive, verdict);
        Assert.Contains("non-inferiority is not shown", Assert.Single(reasons));
    }

    [Fact]
    public void AnIntervalEntirelyBeyondTheLimitFails()
    {
        var (verdict, reasons) = GateDecision.Decide(Limits, 200, ThreeJudged, Comparison(-0.02, -0.03, -0.01), flagChanges: 0);
        Assert.Equal(QaVerdict.Failed, verdict);
        Assert.Contains("whole interval is beyond", Assert.Single(reasons));
    }

    [Fact]
    public void TooFewImagesOrJudgedClassesOrNoBootstrapAreInconclusive()
    {
        Assert.Equal(QaVerdict.Inconclusive, GateDecision.Decide(Limits, 49, ThreeJudged, Comparison(0, -0.001, 0.001), 0).Verdict);
        var two = new[] { Class("A"), Class("B"), Class("C", judged: false) };
        var (verdict, reasons) = GateDecision.Decide(Limits, 200, two, Comparison(0, -0.001, 0.001), 0);
        Assert.Equal(QaVerdict.Inconclusive, verdict);
        Assert.Contains("Not judged: C.", Assert.Single(reasons));
        Assert.Equal(QaVerdict.Inconclusive, GateDecision.Decide(Limits, 200, ThreeJudged, Comparison(0, null, null), 0).Verdict);
    }

    [Fact]
    public void TheFlagChangeShareIsJudgedOnItsWilsonInterval()
    {
        var comparison = Comparison(0, -0.001, 0.001);
        // Wilson 95% (SciPy binomtest(k, n).proportion_ci(method='wilson')): 0 of 200 -> [0, 1.88%] within 3%: pass;
        // 2 of 100 -> [0.55%, 7.00%] straddles 3%: inconclusive; 12 of 100 -> [7.00%, 19.81%] beyond: fail;
        // 0 of 100 -> [0, 3.70%]: even no change at all cannot show <= 3% on 100 studies.
        Assert.Equal(QaVerdict.Passed, GateDecision.Decide(Limits, 200, ThreeJudged, comparison, 0).Verdict);
        Assert.Equal(QaVerdict.Inconclusive, GateDecision.Decide(Limits, 100, ThreeJudged, comparison, 2).Verdict);
        Assert.Equal(QaVerdict.Failed, GateDecision.Decide(Limits, 100, ThreeJudged, comparison, 12).Verdict);
        Assert.Equal(QaVerdict.Inconclusive, GateDecision.Decide(Limits, 100, ThreeJudged, comparison, 0).Verdict);
    }

    [Fact]
    public void AJudgedClassOverItsLimitFailsButANotJudgedOneDoesNot()
    {
        var classes = new[] { Class("A", difference: -0.05, passed: false), Class("B"), Class("C"), Class("D", judged: false, difference: -0.2, passed: true) };
        var (verdict, reasons) = GateDecision.Decide(Limits, 200, classes, Comparison(-0.001, -0.003, 0.001), 0);
        Assert.Equal(QaVerdict.Failed, verdict);
        Assert.Contains("Class 'A'", Assert.Single(reasons));
    }
}
