using System.Globalization;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;

namespace MLRFNet.Onnx.Qa;

/// <summary>
/// The gate's decision as a non-inferiority test with three outcomes, each limit judged on a 95% interval:
/// <list type="bullet">
/// <item><b>Passed</b>: the evidence shows the candidate within every limit: the upper end of the paired CI of the mean
/// AUC drop (over judged classes) and the upper end of the Wilson CI of the share of studies whose flagged findings
/// change are within their limits, and no judged class drops more than allowed.</item>
/// <item><b>Failed</b>: the evidence shows a limit broken: a whole interval lies beyond its limit, or a judged class
/// dropped more than allowed.</item>
/// <item><b>Inconclusive</b>: nothing is shown either way: the set is below the image floor, too few classes have
/// enough positives to be judged, there is no bootstrap interval, or an interval straddles its limit. Too little
/// evidence is never a pass.</item>
/// </list>
/// </summary>
public static class GateDecision
{
    public static (QaVerdict Verdict, IReadOnlyList<string> Reasons) Decide(GateThresholds limits, int images,
        IReadOnlyList<ClassGateResult> classes, PairedComparison comparison, int flagChanges)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(comparison);
        var c = CultureInfo.InvariantCulture;
        if (images < limits.MinImages)
            return (QaVerdict.Inconclusive,
                [string.Create(c, $"The evaluation set has {images} images, below the floor of {limits.MinImages} (--min-images): too few to judge.")]);

        var failures = new List<string>();
        var undecided = new List<string>();
        var judged = classes.Where(r => r.Judged && r.AucDifference is not null).ToArray();
        var notJudged = classes.Where(r => !r.Judged).Select(r => r.Label).ToArray();
        if (judged.Length < limits.MinJudgedClasses)
            undecided.Add(string.Create(c,
                $"Only {judged.Length} class(es) have at least {limits.MinPositives} positives (--min-positives) and can be judged; {limits.MinJudgedClasses} are needed (--min-judged-classes). Not judged: {string.Join(", ", notJudged)}."));
        else if (comparison.MeanDifferenceInterval is not { IsDefined: true } interval)
            undecided.Add("No paired confidence interval for the mean AUC difference (bootstrap off, or every resample lost a class): non-inferiority cannot be shown.");
        else
        {
            // Drop = reference - candidate, so its CI is the difference CI negated and swapped.
            var (dropLower, dropUpper) = (-interval.Upper!.Value, -interval.Lower!.Value);
            var what = string.Create(c,
                $"mean AUC drop over {judged.Length} judged classes {-comparison.MeanDifference!.Value:F4}, 95% CI [{dropLower:F4}, {dropUpper:F4}], limit {limits.MaxMeanAucDrop:F4}");
            if (dropLower > limits.MaxMeanAucDrop) failures.Add($"The {what}: the whole interval is beyond the limit.");
            else if (dropUpper > limits.MaxMeanAucDrop) undecided.Add($"The {what}: the interval's upper end is beyond the limit, so non-inferiority is not shown.");
        }
        foreach (var r in judged.Where(r => !r.Passed))
            failures.Add(string.Create(c,
                $"Class '{r.Label}': AUC drop {-r.AucDifference!.Value:F4} exceeds the allowed {r.AllowedDrop:F4} ({r.ReferenceAuc:F4} -> {r.CandidateAuc:F4})."));

        var (shareLower, shareUpper) = WilsonInterval.Of(flagChanges, images);
        var share = string.Create(c,
            $"{flagChanges} of {images} studies ({(double)flagChanges / images:P1}, 95% CI [{shareLower:P1}, {shareUpper:P1}]) get a different set of flagged findings at the deployed thresholds; the limit is {limits.MaxFlagChangeShare:P1} (--max-flag-change)");
        if (shareLower > limits.MaxFlagChangeShare) failures.Add(share + ": the whole interval is beyond it.");
        else if (shareUpper > limits.MaxFlagChangeShare) undecided.Add(share + ": the interval's upper end is beyond it, so the set is too small to show the limit holds.");

        if (failures.Count > 0) return (QaVerdict.Failed, [.. failures, .. undecided]);
        if (undecided.Count > 0) return (QaVerdict.Inconclusive, undecided);
        return (QaVerdict.Passed, []);
    }
}
