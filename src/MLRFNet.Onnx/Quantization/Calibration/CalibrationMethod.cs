namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// How activation ranges are chosen from the calibration run (ORT's <c>CalibrationMethod</c>, minus
/// Distribution, which serves float8).
/// </summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen. Every value fits; one outlier widens the step for all.</summary>
    MinMax,

    /// <summary>Clip at a percentile of the value histogram (default 99.999), ignoring rare outliers.</summary>
    Percentile,

    /// <summary>
    /// The clipping threshold whose 8-bit quantized histogram is closest (least KL divergence) to the float one,
    /// as TensorRT calibrates (Migacz, "8-bit Inference with TensorRT", GTC 2017).
    /// </summary>
    Entropy,
}
