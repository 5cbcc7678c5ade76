namespace MLRFNet.Onnx.Float16;

/// <summary>
/// Op types the FP16 converter keeps in float32 by default, each for a numerical reason. Starting point:
/// onnxconverter-common's DEFAULT_OP_BLOCK_LIST
/// (https://github.com/microsoft/onnxconverter-common/blob/master/onnxconverter_common/float16.py).
/// </summary>
public static class Float16BlockList
{
    /// <summary>
    /// Reductions that accumulate over whole maps. float16 has an 11-bit significand (relative step 2^-11 ~ 4.9e-4)
    /// and a largest finite value of 65504: a mean over a 56 x 56 map adds 3136 values, so a kernel accumulating
    /// in float16 loses the small addends and overflows once the sum passes 65504 (mean 21 over that map). CSRA's
    /// average term and the global pooling of the backbone are such reductions. Max/Min reductions select one
    /// value and are exact in float16, so ReduceMax, GlobalMaxPool and MaxPool are not listed.
    /// </summary>
    public static readonly IReadOnlyList<string> Accumulating =
    [
        "GlobalAveragePool", "ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL1", "ReduceL2",
        "ReduceLogSum", "ReduceLogSumExp", "ReduceProd", "LpNormalization",
    ];

    /// <summary>
    /// Softmax normalises by a sum of exponentials: exp overflows float16 above x = 11.09, and the sum over a
    /// spatial map (CSRA's attention softmax over H x W) accumulates as above.
    /// </summary>
    public static readonly IReadOnlyList<string> Exponential = ["Softmax", "LogSoftmax"];

    /// <summary>
    /// From onnxconverter-common's default list: ops with float parameter inputs that must stay float32 (Resize
    /// scales and roi), index or range arithmetic (Range, CumSum, TopK, NonMaxSuppression, RoiAlign), and ops whose
    /// dtype attribute would have to be rewritten (random generators, EyeLike).
    /// </summary>
    public static readonly IReadOnlyList<string> Structural =
    [
        "Resize", "Upsample", "Range", "CumSum", "TopK", "NonMaxSuppression", "RoiAlign",
        "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "EyeLike", "Multinomial", "Bernoulli",
    ];

    /// <summary>All of the above.</summary>
    public static IReadOnlyList<string> DefaultOpTypes { get; } = [.. Accumulating, .. Exponential, .. Structural];
}
