using System.Globalization;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Cli.Printing;

/// <summary>What <c>mlrfnet qa</c> prints: per-class and mean AUC of both models, ΔAUC with its paired 95% CI, the
/// largest probability change, decision agreement, batch-1 latency and the gate's verdict with its reasons.</summary>
internal static class QaSummary
{
    public static void Print(QualityGateReport r, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"reference {r.ReferencePath}");
        output.WriteLine($"candidate {r.CandidatePath} ({r.CandidatePrecision.ToString().ToUpperInvariant()})");
        output.WriteLine($"images    {r.EvaluationData} (label set {r.LabelSetName}, output '{r.OutputName}')");
        output.WriteLine();
        output.WriteLine(string.Create(c, $"{"class",-20} {"pos",5} {"neg",5} {"AUC ref",8} {"AUC cand",8} {"dAUC",8} {"95% CI",-19} {"max|dp|",8} {"agree",7} gate"));
        foreach (var k in r.Classes)
        {
            if (!k.Judged && k.AucDifference is not null)
            {
                output.WriteLine(string.Create(c, $"{k.Label,-20} {k.Positives,5} {k.Negatives,5} {k.ReferenceAuc,8:F4} {k.CandidateAuc,8:F4} {k.AucDifference,8:+0.0000;-0.0000;0.0000} {"",-19} {k.MaxAbsProbabilityDifference,8:F4} {Percent(k.DecisionAgreement),7} not judged (< {r.Thresholds.MinPositives} positives)"));
                continue;
            }
            if (k.AucDifference is null)
            {
                output.WriteLine(string.Create(c, $"{k.Label,-20} {k.Positives,5} {k.Negatives,5} {"n/a",8} {"n/a",8} {"n/a",8} {"",-19} {k.MaxAbsProbabilityDifference,8:F4} {Percent(k.DecisionAgreement),7} (AUC undefined: one outcome only)"));
                continue;
            }
            output.WriteLine(string.Create(c,
                $"{k.Label,-20} {k.Positives,5} {k.Negatives,5} {k.ReferenceAuc,8:F4} {k.CandidateAuc,8:F4} {k.AucDifference,8:+0.0000;-0.0000;0.0000} {Interval(k.AucDifferenceLower, k.AucDifferenceUpper),-19} {k.MaxAbsProbabilityDifference,8:F4} {Percent(k.DecisionAgreement),7} {(k.Passed ? "ok" : "FAIL")}{(k.AllowedDrop > r.Thresholds.MaxClassAucDrop ? string.Create(c, $" (allowed {k.AllowedDrop:F4}: one pair = 1/{k.Positives * k.Negatives})") : "")}"));
        }
        output.WriteLine();
        output.WriteLine(string.Create(c,
            $"mean AUC over {r.JudgedClasses.Count} judged classes: reference {r.ReferenceMeanAuc:F4}, candidate {r.CandidateMeanAuc:F4}, dAUC {r.MeanAucDifference:+0.0000;-0.0000;0.0000} (paired bootstrap 95% CI {Interval(r.MeanAucDifferenceLower, r.MeanAucDifferenceUpper)})"));
        output.WriteLine(string.Create(c, $"worst class drop {r.WorstClassAucDrop:F4} ({r.WorstClass}); max |dp| {r.MaxAbsProbabilityDifference:F4}; decision agreement {Percent(r.DecisionAgreement)}"));
        output.WriteLine(string.Create(c, $"latency, batch 1, median of {r.LatencyRuns}: reference {r.ReferenceLatencyMs:F2} ms, candidate {r.CandidateLatencyMs:F2} ms (ONNX Runtime CPU)"));
        output.WriteLine(string.Create(c, $"studies whose flagged findings change at the deployed thresholds: {r.FlagChanges} of {r.Images}, {Percent(r.FlagChangeShare)} (95% CI [{Percent(r.FlagChangeShareLower)}, {Percent(r.FlagChangeShareUpper)}], limit {Percent(r.Thresholds.MaxFlagChangeShare)})"));
        if (r.NotJudgedClasses.Count > 0)
            output.WriteLine($"not judged (fewer than {r.Thresholds.MinPositives} positives): {string.Join(", ", r.NotJudgedClasses)}");
        output.WriteLine(string.Create(c,
            $"gate (95% CI upper end of the mean drop <= {r.Thresholds.MaxMeanAucDrop:F4}, every judged class drop <= {r.Thresholds.MaxClassAucDrop:F4}{(r.Thresholds.ClassResolutionPairs > 0 ? $" or {r.Thresholds.ClassResolutionPairs} swapped pair(s)" : "")}, at least {r.Images}/{r.Thresholds.MinImages} images and {r.JudgedClasses.Count}/{r.Thresholds.MinJudgedClasses} judged classes): {r.Verdict.ToString().ToUpperInvariant()}"));
        if (r.MeanAucDropUpper is { } upper) output.WriteLine(string.Create(c, $"  mean AUC drop 95% CI upper end {upper:F4}"));
        foreach (var failure in r.Failures) output.WriteLine("  " + failure);
        foreach (var warning in r.Warnings) output.WriteLine("  WARNING: " + warning);
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Interval(double? lower, double? upper) =>
        lower is { } l && upper is { } u ? string.Create(CultureInfo.InvariantCulture, $"[{l:+0.0000;-0.0000;0.0000}, {u:+0.0000;-0.0000;0.0000}]") : "(no bootstrap)";
}
