using System.Text.Json;
using MLRFNet.Onnx.Quantization;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>
/// <c>quantize --debug</c>'s JSON beside the output (<c>&lt;name&gt;.sqnr.json</c>): every quantized activation's SQNR
/// against the FP32 model and at its own Q/DQ pair, worst first, and every quantized weight's SQNR, in dB.
/// </summary>
public static class SqnrReportJson
{
    public static string PathFor(string outputPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, Path.GetFileNameWithoutExtension(outputPath) + ".sqnr.json");

    public static void Write(QuantizationDebugReport report, string floatModel, string quantizedModel, int images, string path)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("floatModel", Path.GetFullPath(floatModel));
            writer.WriteString("quantizedModel", Path.GetFullPath(quantizedModel));
            writer.WriteString("definition", "SQNR = 20 log10(||x|| / ||x - x_q||) dB over all debug images; vsFloatModelDb: x from the FP32 model, x_q the QDQ model's dequantized tensor (error accumulated up to here); atThisQdqDb: x before this tensor's QuantizeLinear, x_q after its DequantizeLinear (error of this pair alone)");
            writer.WriteNumber("images", images);
            writer.WriteNumber("batches", report.Batches);
            writer.WriteStartArray("activations");
            foreach (var a in report.Activations)
            {
                writer.WriteStartObject();
                writer.WriteString("tensor", a.Tensor);
                if (a.Node is { } node) writer.WriteString("node", node); else writer.WriteNull("node");
                Number(writer, "vsFloatModelDb", a.AgainstFloatModel);
                Number(writer, "atThisQdqDb", a.AtThisQdq);
                writer.WriteNumber("values", a.Values);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("weights");
            foreach (var w in report.Weights)
            {
                writer.WriteStartObject();
                writer.WriteString("weight", w.Weight);
                Number(writer, "sqnrDb", w.Sqnr);
                writer.WriteNumber("channels", w.Channels);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        File.WriteAllBytes(path, stream.ToArray());
    }

    // JSON has no NaN/Infinity; a non-finite SQNR (empty or NaN tensor) is written as null.
    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) writer.WriteNumber(name, Math.Round(v, 4));
        else writer.WriteNull(name);
    }
}
