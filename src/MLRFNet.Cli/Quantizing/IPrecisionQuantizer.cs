using System.CommandLine;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Cli.Quantizing;

/// <summary>What <c>mlrfnet quantize</c> was asked to do, with the FP32 model's manifest already checked.</summary>
/// <param name="ModelPath">The FP32 ONNX file.</param>
/// <param name="OutputPath">The file to write (checked not to exist).</param>
/// <param name="Reference">The FP32 model's manifest (labels, preprocessing).</param>
/// <param name="ExcludedOpTypes">Op types the user keeps in float (<c>--exclude-op</c>).</param>
/// <param name="ExcludedNodes">Node names the user keeps in float (<c>--exclude-node</c>).</param>
internal sealed record QuantizeJob(
    string ModelPath, string OutputPath, ModelManifest Reference, string[] ExcludedOpTypes, string[] ExcludedNodes,
    ParseResult Parse, TextWriter Output, TextWriter Error);

/// <summary>
/// What a precision wrote: the manifest's calibration description, the exit code (1 = written but not accepted) and,
/// for INT8, the scheme and target for the manifest (e.g. "U8S8, target cpu").
/// </summary>
internal sealed record QuantizeOutcome(string? CalibrationData, int ExitCode = 0, string? QuantizationScheme = null);

/// <summary>One target precision of <c>mlrfnet quantize --precision NAME</c> (see <see cref="PrecisionQuantizers"/>).</summary>
internal interface IPrecisionQuantizer
{
    /// <summary>The <c>--precision</c> value.</summary>
    string Name { get; }

    ModelPrecision Precision { get; }

    /// <summary>Options only this precision takes; giving them with another precision is an error.</summary>
    IReadOnlyList<Option> Options { get; }

    /// <summary>Files written beside the output besides its manifest (checked not to exist before any work).</summary>
    IEnumerable<string> ExtraOutputs(QuantizeJob job);

    /// <summary>Writes the converted model to <see cref="QuantizeJob.OutputPath"/>.</summary>
    QuantizeOutcome Run(QuantizeJob job);
}

/// <summary>The precisions <c>quantize</c> knows, by name.</summary>
internal sealed class PrecisionQuantizers
{
    private readonly Dictionary<string, IPrecisionQuantizer> byName = new(StringComparer.OrdinalIgnoreCase);

    public PrecisionQuantizers(params IPrecisionQuantizer[] quantizers)
    {
        foreach (var q in quantizers) byName.Add(q.Name, q);
    }

    public IEnumerable<IPrecisionQuantizer> All => byName.Values;

    public string Names => string.Join(" | ", byName.Keys);

    public IPrecisionQuantizer Get(string name) =>
        byName.TryGetValue(name, out var q) ? q
            : throw new ArgumentException($"--precision '{name}' is not known; use {string.Join(" or ", byName.Keys)}.");
}
