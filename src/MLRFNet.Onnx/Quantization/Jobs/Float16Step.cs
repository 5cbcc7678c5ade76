using System.Globalization;
using MLRFNet.Onnx.Float16;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>
/// FP16: <see cref="Float16Converter"/> with float32 graph inputs and outputs. The job's excluded op types and nodes
/// add to the default float32 block list (<see cref="Float16BlockList"/>); weights outside the float16 range are
/// clamped and each such weight is reported as a warning.
/// </summary>
internal static class Float16Step
{
    public static PrecisionOutcome Run(PrecisionStep job)
    {
        var options = new Float16Options
        {
            OpBlockList = [.. Float16BlockList.DefaultOpTypes.Union(job.ExcludedOpTypes, StringComparer.Ordinal)],
            NodeBlockList = job.ExcludedNodes,
        };
        var result = Float16Converter.Convert(job.Reference.ModelPath, job.OutputPath, options);
        foreach (var warning in result.Warnings) job.Progress?.Report(JobEvent.Warning(Describe(warning, options)));
        job.Info(string.Create(CultureInfo.InvariantCulture,
            $"fp16: {result.ConvertedTensors} tensors stored as float16, {result.CastsInserted} casts inserted, {result.Float32Nodes.Count} nodes kept in float32 ({Summarize(result.Float32Nodes)})"));
        // Two different events: values too large for float16 (clamped: a real range problem) and tiny values below
        // its smallest subnormal (raised: a rounding detail). Count them apart so the summary does not call the
        // second "outside the range".
        var clamped = result.Warnings.Count(w => w.ClampedToMax > 0);
        var raised = result.Warnings.Count(w => w.RaisedToMinPositive > 0);
        if (clamped > 0)
            job.Info($"fp16: {clamped} weight tensor(s) had values beyond the float16 range, clamped (see the warnings on stderr)");
        if (raised > 0)
            job.Info($"fp16: {raised} weight tensor(s) had non-zero values below float16's smallest magnitude, raised to it (see stderr)");
        return new PrecisionOutcome(null);
    }

    /// <summary>Only the parts of the warning that happened (a weight may have only clamped or only raised values).</summary>
    private static string Describe(Float16Warning w, Float16Options options)
    {
        var parts = new List<string>();
        if (w.ClampedToMax > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{w.ClampedToMax} value(s) beyond +-{options.MaxFiniteValue} clamped (largest |x| {w.LargestMagnitude:G6})"));
        if (w.RaisedToMinPositive > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{w.RaisedToMinPositive} non-zero value(s) below {options.MinPositiveValue:G3} set to +-{options.MinPositiveValue:G3} (smallest |x| {w.SmallestNonZeroMagnitude:G6})"));
        return $"weight '{w.Tensor}': {string.Join("; ", parts)}";
    }

    private static string Summarize(IReadOnlyList<string> nodes) =>
        nodes.Count == 0 ? "none" : nodes.Count <= 6 ? string.Join(", ", nodes) : string.Join(", ", nodes.Take(6)) + $", ... {nodes.Count - 6} more";
}
