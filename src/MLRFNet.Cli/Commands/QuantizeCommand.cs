using System.CommandLine;
using System.Globalization;
using MLRFNet.Cli.Quantizing;
using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Proto;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet quantize --model fp32.onnx --precision fp16|int8 --out model.onnx [...]</c>: converts an exported FP32
/// model (<see cref="Float16Quantizer"/>, <see cref="Int8Quantizer"/>) and writes its manifest beside it: the FP32
/// manifest with the new precision and SHA-256, the FP32 SHA-256 as reference, the calibration described and no QA
/// result yet (<c>mlrfnet qa</c> adds it). Nothing is overwritten. Exit 0 when written, 1 when
/// <c>--fallback</c> wrote a model the gate still rejects, 2 for input errors.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var precisions = new PrecisionQuantizers(new Float16Quantizer(), new Int8Quantizer());
        var model = new Option<FileInfo>("--model") { Description = "FP32 ONNX model written by `mlrfnet export` (its manifest beside it).", Required = true };
        var precision = new Option<string>("--precision") { Description = precisions.Names, Required = true };
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
        foreach (var o in precisions.All.SelectMany(p => p.Options).Distinct()) command.Options.Add(o);

        command.SetAction(parse => CliRun.Guard("quantize", error, () =>
        {
            var quantizer = precisions.Get(parse.GetValue(precision)!);
            foreach (var other in precisions.All.Where(p => p != quantizer))
                if (other.Options.Except(quantizer.Options).FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } stray)
                    throw new ArgumentException($"{stray.Name} applies to --precision {other.Name} only.");

            var modelPath = parse.GetValue(model)!.FullName;
            var target = parse.GetValue(outPath)!.FullName;
            if (!target.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--out '{target}' should end in .onnx (its manifest is written beside it as <name>.manifest.json).");
            var verified = ManifestPolicy.IntegrityOnly.Load(modelPath);
            var (reference, referenceSha) = (verified.Manifest, verified.Sha256);
            if (reference.Precision != ModelPrecision.Fp32)
                throw new InvalidDataException(
                    $"--model {modelPath} is {reference.Precision.ToString().ToUpperInvariant()} according to its manifest; quantize the FP32 model exported by `mlrfnet export`.");

            var excludedNodes = parse.GetValue(excludeNode) ?? [];
            if (parse.GetValue(floatInputConv))
            {
                var stems = SensitiveLayers.InputConvolutions(OnnxModelFile.Load(modelPath));
                if (stems.Count == 0)
                    throw new ArgumentException($"--float-input-conv: no Conv node of {modelPath} reads a model input; name the layers to keep with --exclude-node instead.");
                output.WriteLine($"kept in float (--float-input-conv): {string.Join(", ", stems)}");
                excludedNodes = [.. excludedNodes.Union(stems, StringComparer.Ordinal)];
            }
            var job = new QuantizeJob(modelPath, target, reference, parse.GetValue(excludeOp) ?? [], excludedNodes, parse, output, error);
            var manifestPath = ModelManifest.ManifestPathFor(target);
            foreach (var file in new[] { target, manifestPath }.Concat(quantizer.ExtraOutputs(job)))
                if (File.Exists(file)) throw new IOException($"{file} already exists; choose another --out (nothing is overwritten).");

            var outcome = quantizer.Run(job);
            var manifest = reference.Derive(referenceSha, ModelManifest.Sha256OfFile(target), quantizer.Precision, outcome.CalibrationData)
                with { QuantizationScheme = outcome.QuantizationScheme };
            manifest.Save(manifestPath);
            var from = new FileInfo(modelPath).Length;
            var to = new FileInfo(target).Length;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {target} ({to / 1048576.0:F1} MiB, {100.0 * to / from:F0}% of the FP32 file)"));
            output.WriteLine($"      {manifestPath} (precision {quantizer.Name}{(manifest.QuantizationScheme is { } q ? $" {q}" : "")}, sha256 {manifest.OnnxSha256}, reference {referenceSha}, not yet QA-checked: run `mlrfnet qa`)");
            return outcome.ExitCode;
        }));
        return command;
    }
}
