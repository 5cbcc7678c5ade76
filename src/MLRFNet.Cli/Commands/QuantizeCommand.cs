using System.CommandLine;
using System.Globalization;
using MLRFNet.Cli.Printing;
using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Quantization.Jobs;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet quantize --model fp32.onnx --precision fp16|int8 --out model.onnx [...]</c>: parses, runs
/// <see cref="QuantizeJob"/> (conversion, INT8 calibration and fallback, the derived manifest beside the output) and
/// prints what it wrote. Nothing is overwritten. Exit 0 when written, 1 when <c>--fallback</c> wrote a model the gate
/// still rejects, 2 for input errors.
/// </summary>
internal static class QuantizeCommand
{
    private static readonly Dictionary<string, ModelPrecision> Precisions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fp16"] = ModelPrecision.Fp16, ["int8"] = ModelPrecision.Int8,
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var int8 = new Int8Options();
        var model = new Option<FileInfo>("--model") { Description = "FP32 ONNX model written by `mlrfnet export` (its manifest beside it).", Required = true };
        var precision = new Option<string>("--precision") { Description = string.Join(" | ", Precisions.Keys), Required = true };
        var outPath = new Option<FileInfo>("--out") { Description = "ONNX file to write (.onnx, must not exist); the manifest goes beside it.", Required = true };
        var excludeOp = new Option<string[]>("--exclude-op") { Description = "Op type kept in float (repeatable), e.g. Sigmoid; fp16 adds it to the default block list." };
        var excludeNode = new Option<string[]>("--exclude-node") { Description = "Node name kept in float (repeatable), as in the ONNX graph." };
        var floatInputConv = new Option<bool>("--float-input-conv")
        {
            Description = "Keep the convolution that reads the image (the stem) in float: it amplifies the input's rounding (models/MODEL_CARD.md). Recommended for X-ray models.",
        };
        var command = new Command("quantize", "Convert an FP32 ONNX model to FP16 or INT8 (QDQ, calibrated on labelled X-rays), with its manifest.")
        {
            model, precision, outPath, excludeOp, excludeNode, floatInputConv,
        };
        foreach (var o in int8.All) command.Options.Add(o);

        command.SetAction(parse => CliRun.Guard("quantize", error, () =>
        {
            var name = parse.GetValue(precision)!;
            var chosen = Precisions.TryGetValue(name, out var p) ? p
                : throw new ArgumentException($"--precision '{name}' is not known; use {string.Join(" or ", Precisions.Keys)}.");
            if (chosen != ModelPrecision.Int8 && int8.All.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
                throw new ArgumentException($"{stray.Name} applies to --precision int8 only.");
            var printer = new JobEventPrinter("quantize", output, error);
            var job = new QuantizeJob(new QuantizeJobOptions
            {
                ModelPath = parse.GetValue(model)!.FullName,
                OutputPath = parse.GetValue(outPath)!.FullName,
                Precision = chosen,
                ExcludedOpTypes = parse.GetValue(excludeOp) ?? [],
                ExcludedNodes = parse.GetValue(excludeNode) ?? [],
                FloatInputConvolution = parse.GetValue(floatInputConv),
                Int8 = chosen == ModelPrecision.Int8 ? int8.Parse(parse, output) : null,
            }, printer);
            var r = job.Run();
            var m = r.Manifest;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {r.OutputPath} ({r.OutputBytes / 1048576.0:F1} MiB, {100.0 * r.OutputBytes / r.ReferenceBytes:F0}% of the FP32 file)"));
            output.WriteLine($"      {r.ManifestPath} (precision {name.ToLowerInvariant()}{(m.QuantizationScheme is { } q ? $" {q}" : "")}, sha256 {m.OnnxSha256}, reference {r.ReferenceSha256}, not yet QA-checked: run `mlrfnet qa`)");
            return r.Accepted ? 0 : 1;
        }));
        return command;
    }
}
