using System.CommandLine;
using System.Globalization;
using MLRFNet.Core.Manifest;
using MLRFNet.Export;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet export --checkpoint CKPT --out model.onnx [--name N] [--model-version V]</c>: writes the FP32 ONNX model
/// (opset 17) and <c>model.manifest.json</c> beside it (<see cref="CheckpointExporter"/>).
/// </summary>
public static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint (.ckpt) written by `mlrfnet train` or CheckpointFile.", Required = true };
        var outPath = new Option<FileInfo>("--out") { Description = "ONNX file to write (.onnx); the manifest goes beside it.", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name for the manifest (default: the output file name)." };
        var version = new Option<string?>("--model-version") { Description = "Model version for the manifest (default: first 12 hex digits of the checkpoint's SHA-256)." };
        var signKey = SignKeyOption.Create();
        var command = new Command("export", "Export a checkpoint to ONNX (opset 17, FP32) with its model manifest.")
        {
            checkpoint, outPath, name, version, signKey,
        };
        command.SetAction(parse => CliRun.Guard("export", error, () =>
        {
            // Load the key first: a wrong key file must fail before minutes of export, not after.
            using var key = SignKeyOption.Load(parse, signKey);
            var result = CheckpointExporter.Export(parse.GetValue(checkpoint)!.FullName, parse.GetValue(outPath)!.FullName,
                new ExportOptions { ModelName = parse.GetValue(name), ModelVersion = parse.GetValue(version) });
            var m = key is null ? result.Manifest : ManifestWriter.Save(result.Manifest, result.ManifestPath, key);
            output.WriteLine($"wrote {result.OnnxPath} ({result.OnnxBytes / 1048576.0:F1} MiB, {result.Nodes} nodes, {result.Initializers} initializers)");
            output.WriteLine($"      {result.ManifestPath} ({SignKeyOption.Describe(m)})");
            output.WriteLine($"model {m.ModelName} {m.ModelVersion}: {m.Architecture}, {m.Labels.Length} labels ({m.LabelSetName}), " +
                             $"input [N, {m.Preprocessing.Channels}, {m.Preprocessing.CropSize}, {m.Preprocessing.CropSize}]");
            output.WriteLine($"onnx sha256 {m.OnnxSha256}; from {m.SourceCheckpoint} sha256 {m.SourceCheckpointSha256}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"export took {result.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }));
        return command;
    }
}
