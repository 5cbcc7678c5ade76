using static MLRFNet.Export.Graph.OnnxAttributes;

namespace MLRFNet.Export.Graph;

/// <summary>
/// Typed helpers for the opset-17 operators MLRFNet's graph uses. Each takes input tensor names and returns the
/// output name. Where opset 17 moved an argument from an attribute to an input, the helper writes the opset-17 form
/// (https://onnx.ai/onnx/operators/): Split sizes, ReduceSum axes, Squeeze/Unsqueeze axes and Reshape shapes are int64
/// inputs; ReduceMean/ReduceMax axes are still attributes (they became inputs only in opset 18).
/// </summary>
public sealed partial class OnnxGraphBuilder
{
    /// <summary>
    /// Convolution. <paramref name="weight"/> is [O, I/group, k...] (rank 3 for 1-D, rank 4 for 2-D); strides,
    /// dilations default to 1, <paramref name="pads"/> is ONNX's [begin..., end...] and defaults to 0.
    /// </summary>
    public string Conv(string input, FloatTensor weight, float[]? bias = null, int[]? strides = null, int[]? pads = null,
        int[]? dilations = null, int group = 1, string hint = "conv")
    {
        ArgumentNullException.ThrowIfNull(weight);
        var spatial = weight.Rank - 2;
        if (spatial is not (1 or 2))
            throw new ArgumentException($"Conv weight must be rank 3 or 4 (got {weight}).", nameof(weight));
        if (group < 1 || weight.Shape[0] % group != 0)
            throw new ArgumentException($"Conv group {group} does not divide the {weight.Shape[0]} output channels.", nameof(group));
        if (bias is not null && bias.Length != weight.Shape[0])
            throw new ArgumentException($"Conv bias has {bias.Length} values for {weight.Shape[0]} output channels.", nameof(bias));
        strides ??= Enumerable.Repeat(1, spatial).ToArray();
        dilations ??= Enumerable.Repeat(1, spatial).ToArray();
        pads ??= new int[2 * spatial];
        if (strides.Length != spatial || dilations.Length != spatial || pads.Length != 2 * spatial)
            throw new ArgumentException($"Conv with a {spatial}-D kernel needs {spatial} strides and dilations and {2 * spatial} pads.");

        List<string> inputs = [input, AddInitializer(Join(hint, "weight"), weight)];
        if (bias is not null) inputs.Add(AddInitializer(Join(hint, "bias"), bias, bias.Length));
        return AddNode("Conv", inputs, attributes:
        [
            Ints("kernel_shape", weight.Shape[2..]), Ints("strides", strides), Ints("pads", pads),
            Ints("dilations", dilations), Int("group", group),
        ])[0];
    }

    /// <summary>Square 2-D convolution with symmetric padding, PyTorch's Conv2d arguments.</summary>
    public string Conv2d(string input, FloatTensor weight, float[]? bias = null, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, string hint = "conv") =>
        Conv(input, weight, bias, [stride, stride], [padding, padding, padding, padding], [dilation, dilation], groups, hint);

    /// <summary>Conv2d followed by an eval-mode BatchNorm, folded into one Conv (<see cref="BatchNormFolding"/>).</summary>
    public string Conv2dBatchNorm(string input, FloatTensor weight, float[]? bias, BatchNormParameters batchNorm,
        int stride = 1, int padding = 0, int dilation = 1, int groups = 1, string hint = "conv")
    {
        var (w, b) = BatchNormFolding.FoldBatchNorm(weight.Values, bias, batchNorm);
        return Conv2d(input, new FloatTensor(w, weight.Shape), b, stride, padding, dilation, groups, hint);
    }

    public string Relu(string x) => Unary("Relu", x);
    public string Sigmoid(string x, string? outputName = null) => AddNode("Sigmoid", [x], outputNames: Named(outputName))[0];
    public string Identity(string x, string? outputName = null) => AddNode("Identity", [x], outputNames: Named(outputName))[0];

    public string Add(string a, string b, string? outputName = null) => AddNode("Add", [a, b], outputNames: Named(outputName))[0];
    public string Mul(string a, string b, string? outputName = null) => AddNode("Mul", [a, b], outputNames: Named(outputName))[0];
    public string Div(string a, string b, string? outputName = null) => AddNode("Div", [a, b], outputNames: Named(outputName))[0];

    /// <summary><paramref name="x"/> × a constant scalar (broadcast).</summary>
    public string Scale(string x, float factor, string hint = "scale") => Mul(x, AddScalar(hint, factor));

    /// <summary>MaxPool, square kernel, symmetric padding (PyTorch MaxPool2d, floor mode).</summary>
    public string MaxPool(string x, int kernel, int stride, int padding = 0) =>
        AddNode("MaxPool", [x], attributes:
            [Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding)])[0];

    /// <summary>
    /// AveragePool, square kernel, symmetric padding. <paramref name="countIncludePad"/> true divides by the full
    /// kernel area at borders, as PyTorch's AvgPool2d does by default (and the Res2Net stage pool relies on).
    /// </summary>
    public string AveragePool(string x, int kernel, int stride, int padding = 0, bool countIncludePad = true) =>
        AddNode("AveragePool", [x], attributes:
        [
            Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding),
            Int("count_include_pad", countIncludePad ? 1 : 0),
        ])[0];

    /// <summary>[N, C, H, W] → [N, C, 1, 1].</summary>
    public string GlobalAveragePool(string x) => Unary("GlobalAveragePool", x);

    /// <summary>Splits along <paramref name="axis"/> into pieces of the given sizes (opset 13+: sizes as an int64 input).</summary>
    public string[] Split(string x, int axis, IReadOnlyList<int> sizes)
    {
        if (sizes.Count == 0 || sizes.Any(s => s <= 0)) throw new ArgumentException("Split sizes must be positive.", nameof(sizes));
        var split = AddInt64Initializer("split_sizes", sizes.Select(s => (long)s).ToArray());
        return AddNode("Split", [x, split], sizes.Count, attributes: [Int("axis", axis)]);
    }

    public string Concat(int axis, IReadOnlyList<string> inputs, string? outputName = null) =>
        AddNode("Concat", inputs, outputNames: Named(outputName), attributes: [Int("axis", axis)])[0];

    /// <summary>ReduceMean with axes as an attribute (opset 17).</summary>
    public string ReduceMean(string x, IReadOnlyList<int> axes, bool keepDims) =>
        AddNode("ReduceMean", [x], attributes: [Ints("axes", axes), Int("keepdims", keepDims ? 1 : 0)])[0];

    /// <summary>ReduceMax with axes as an attribute (opset 17).</summary>
    public string ReduceMax(string x, IReadOnlyList<int> axes, bool keepDims) =>
        AddNode("ReduceMax", [x], attributes: [Ints("axes", axes), Int("keepdims", keepDims ? 1 : 0)])[0];

    /// <summary>ReduceSum with axes as an int64 input (opset 13+).</summary>
    public string ReduceSum(string x, IReadOnlyList<int> axes, bool keepDims) =>
        AddNode("ReduceSum", [x, AddInt64Initializer("axes", axes.Select(a => (long)a).ToArray())],
            attributes: [Int("keepdims", keepDims ? 1 : 0)])[0];

    /// <summary>Softmax along one axis (opset 13+ semantics: not flattened to 2-D).</summary>
    public string Softmax(string x, int axis) => AddNode("Softmax", [x], attributes: [Int("axis", axis)])[0];

    /// <summary>Reshape to <paramref name="shape"/>; 0 copies the input's dimension (keeps N symbolic), -1 is inferred.</summary>
    public string Reshape(string x, params long[] shape) =>
        AddNode("Reshape", [x, AddInt64Initializer("shape", shape)])[0];

    public string Flatten(string x, int axis = 1) => AddNode("Flatten", [x], attributes: [Int("axis", axis)])[0];

    public string Transpose(string x, params int[] perm) => AddNode("Transpose", [x], attributes: [Ints("perm", perm)])[0];

    /// <summary>Unsqueeze with axes as an int64 input (opset 13+).</summary>
    public string Unsqueeze(string x, params int[] axes) =>
        AddNode("Unsqueeze", [x, AddInt64Initializer("axes", axes.Select(a => (long)a).ToArray())])[0];

    /// <summary>Squeeze with axes as an int64 input (opset 13+).</summary>
    public string Squeeze(string x, params int[] axes) =>
        AddNode("Squeeze", [x, AddInt64Initializer("axes", axes.Select(a => (long)a).ToArray())])[0];

    /// <summary>
    /// y = x·Wᵀ + b for x [N, in], W [out, in] (PyTorch Linear layout, hence transB = 1), b [out].
    /// </summary>
    public string Gemm(string x, FloatTensor weight, float[]? bias, string hint = "fc", string? outputName = null)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Gemm weight must be [out, in] (got {weight}).", nameof(weight));
        if (bias is not null && bias.Length != weight.Shape[0])
            throw new ArgumentException($"Gemm bias has {bias.Length} values for {weight.Shape[0]} outputs.", nameof(bias));
        List<string> inputs = [x, AddInitializer(Join(hint, "weight"), weight)];
        if (bias is not null) inputs.Add(AddInitializer(Join(hint, "bias"), bias, bias.Length));
        return AddNode("Gemm", inputs, outputNames: Named(outputName), attributes: [Int("transB", 1)])[0];
    }

    /// <summary>Initializer name: <c>hint.part</c>, or just <c>part</c> when the hint is empty (the scope already names the module).</summary>
    private static string Join(string hint, string part) => string.IsNullOrEmpty(hint) ? part : hint + "." + part;

    private string Unary(string op, string x) => AddNode(op, [x])[0];

    private static string[]? Named(string? outputName) => outputName is null ? null : [outputName];
}
