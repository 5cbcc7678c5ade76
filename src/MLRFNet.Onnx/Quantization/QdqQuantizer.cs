using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Operators;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// Static INT8 quantization of any FP32 ONNX model into QDQ form (QuantizeLinear/DequantizeLinear pairs around the
/// quantized ops), which both ONNX Runtime and TensorRT consume. Modelled on ORT's quantize_static +
/// QDQQuantizer (https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/quantize.py,
/// qdq_quantizer.py): op quantizers from a registry mark tensors, a calibration run over the FP32 model gives the
/// activation ranges, one writer inserts the Q/DQ nodes.
/// </summary>
public static class QdqQuantizer
{
    /// <summary>QuantizeLinear/DequantizeLinear with per-axis scales and int32 biases need opset 13.</summary>
    public const int MinimumOpset = 13;

    /// <summary>Quantizes the model at <paramref name="inputPath"/> and saves the QDQ model to <paramref name="outputPath"/>.</summary>
    public static QuantizationResult Quantize(string inputPath, string outputPath, ICalibrationDataReader reader, QuantizationOptions? options = null)
    {
        var result = Quantize(OnnxModelFile.Load(inputPath), reader, options);
        OnnxModelFile.Save(result.Model, outputPath);
        return result;
    }

    public static QuantizationResult Quantize(ModelProto model, ICalibrationDataReader reader, QuantizationOptions? options = null) =>
        Quantize(model, reader, options, new Dictionary<string, TensorRange>(StringComparer.Ordinal));

    /// <summary>
    /// Quantizes with ranges from <paramref name="rangeCache"/> where present; missing ranges are calibrated (one
    /// pass over <paramref name="reader"/>) and added to the cache, so repeated runs (the accuracy-aware fallback)
    /// calibrate once. Ranges depend on the model and the calibration method: reuse a cache only with both unchanged.
    /// </summary>
    public static QuantizationResult Quantize(ModelProto model, ICalibrationDataReader reader, QuantizationOptions? options,
        IDictionary<string, TensorRange> rangeCache)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(rangeCache);
        options = (options ?? new QuantizationOptions()).Validate();
        var (source, plan, index) = Plan(model, options);

        var needed = plan.TensorsToCalibrate(index.IsInitializer);
        var missing = needed.Where(t => !rangeCache.ContainsKey(t)).ToArray();
        var batches = 0;
        if (missing.Length > 0)
        {
            var calibrator = CalibratorFactory.Create(options.EffectiveCalibration);
            batches = ActivationCollector.Collect(source, missing, reader, calibrator);
            foreach (var (tensor, range) in calibrator.ComputeRanges()) rangeCache[tensor] = range;
        }
        var ranges = needed.ToDictionary(t => t, t => rangeCache.TryGetValue(t, out var r) ? r
            : throw new InvalidDataException($"Calibration produced no values for '{t}' (is it computed for these inputs?)."), StringComparer.Ordinal);

        var quantized = source.Clone();
        var writer = new QdqGraphWriter(quantized.Graph, plan, options, ranges);
        writer.Write();
        Annotate(quantized, options);
        return new QuantizationResult
        {
            Model = quantized,
            Options = options,
            Ranges = ranges,
            ActivationParameters = new Dictionary<string, ScaleZeroPoint>(writer.ActivationParameters, StringComparer.Ordinal),
            QuantizedNodes = source.Graph.Node.Select(n => n.Name).Where(plan.QuantizedNodes.Contains).ToArray(),
            FusedNodes = plan.FusedActivations.Select(f => f.Node).ToArray(),
            FloatNodes = source.Graph.Node.Select(n => n.Name)
                .Where(n => !plan.QuantizedNodes.Contains(n) && plan.FusedActivations.All(f => f.Node != n)).ToArray(),
            CalibrationBatches = batches,
        };
    }

    /// <summary>
    /// Runs the op quantizers over a named copy of the model and returns what they marked, without calibrating or
    /// editing anything (useful to inspect what would be quantized).
    /// </summary>
    public static QuantizationPlan PlanOnly(ModelProto model, QuantizationOptions? options = null) =>
        Plan(model, (options ?? new QuantizationOptions()).Validate()).Plan;

    private static (ModelProto Source, QuantizationPlan Plan, GraphIndex Index) Plan(ModelProto model, QuantizationOptions options)
    {
        OnnxModelFile.RequireSupportedGraph(model, "INT8 quantization");
        var opset = OnnxModelFile.DefaultOpset(model);
        if (opset < MinimumOpset)
            throw new NotSupportedException(
                $"The model imports opset {opset}; QDQ quantization with per-channel weights needs opset {MinimumOpset} or later. Re-export it with opset_version >= {MinimumOpset}.");
        if (model.Graph.Node.Any(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" or "QLinearConv"))
            throw new InvalidDataException("The model is already quantized (it holds QuantizeLinear/DequantizeLinear nodes); quantize the FP32 model instead.");

        var source = model.Clone();
        OnnxModelFile.NameUnnamedNodes(source.Graph);
        var index = new GraphIndex(source.Graph);
        var unknown = options.ExcludedNodeNames.Where(n => !index.NodesByName.ContainsKey(n)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException(
                $"Excluded node(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))} are not in the graph; check the names (e.g. with Netron).", nameof(options));

        var types = TensorTypes.Infer(source);
        var marker = new QuantizationMarker(index, types, options);
        foreach (var node in source.Graph.Node)
        {
            if (options.IsExcluded(node) || !QuantizerRegistry.Default.TryGet(node.OpType, out var quantizer)) continue;
            marker.CurrentNode = node;
            quantizer.Mark(node, marker);
        }
        marker.CurrentNode = null;
        marker.Plan.PruneDeadEnds(index);
        return (source, marker.Plan, index);
    }

    private static void Annotate(ModelProto model, QuantizationOptions options)
    {
        void Set(string key, string value)
        {
            var entry = model.MetadataProps.FirstOrDefault(p => p.Key == key);
            if (entry is null) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            else entry.Value = value;
        }
        Set("mlrfnet.quantization.scheme", options.Scheme.ToString());
        Set("mlrfnet.quantization.calibration", options.Calibration.Method.ToString());
        Set("mlrfnet.quantization.per_channel", options.PerChannel ? "true" : "false");
    }
}
