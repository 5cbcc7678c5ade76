using System.Text.Json;
using MLRFNet.Core.Json;

namespace MLRFNet.Core.Preprocessing;

/// <summary>
/// How an X-ray becomes the model's input tensor. One record used by training, export and the edge service alike:
/// it travels inside the checkpoint, the ONNX metadata and the model manifest, so nothing downstream re-types a
/// mean or a crop size (timm's <c>pretrained_cfg</c>, torchvision's <c>Weights.transforms</c>).
/// </summary>
/// <remarks>
/// The pipeline is: decode to gray → resize so the shorter side is <see cref="ResizeSize"/> (aspect kept,
/// <see cref="ResizeFilter"/>) → center crop <see cref="CropSize"/> → multiply by <see cref="PixelScale"/> (8-bit
/// range: 0..255 in, 0..255 × scale out) → replicate to <see cref="Channels"/> → per channel
/// <c>(x - Mean[c]) / Std[c]</c>. Mean and Std are in the model's input channel order.
/// </remarks>
public sealed record PreprocessingSpec
{
    /// <summary>Shorter side after resizing, in pixels.</summary>
    public int ResizeSize { get; init; } = 256;

    /// <summary>Side of the square center crop, in pixels; the model's input is CropSize × CropSize.</summary>
    public int CropSize { get; init; } = 224;

    /// <summary>Channels of the model input; the gray image is replicated into each.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Factor applied to 8-bit-range pixel values (1/255 gives [0, 1]; 1 keeps 0..255).</summary>
    public float PixelScale { get; init; } = 1f / 255f;

    /// <summary>Per-channel mean subtracted after scaling, in input channel order.</summary>
    public float[] Mean { get; init; } = [0.485f, 0.456f, 0.406f];

    /// <summary>Per-channel divisor applied after the mean, in input channel order.</summary>
    public float[] Std { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Resize filter name; "bilinear" (triangle, antialiased when shrinking) is the one implemented.</summary>
    public string ResizeFilter { get; init; } = "bilinear";

    /// <summary>The paper's preprocessing: shorter side 256, center crop 224, [0, 1], ImageNet mean and std.</summary>
    public static PreprocessingSpec ImageNet { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public PreprocessingSpec Validate()
    {
        if (CropSize <= 0) throw new ArgumentException($"CropSize must be positive (got {CropSize}).");
        if (ResizeSize < CropSize)
            throw new ArgumentException($"ResizeSize ({ResizeSize}) must be at least CropSize ({CropSize}).");
        if (Channels is not (1 or 3))
            throw new ArgumentException($"Channels must be 1 or 3 (got {Channels}).");
        if (!(PixelScale > 0) || float.IsInfinity(PixelScale))
            throw new ArgumentException($"PixelScale must be a positive finite number (got {PixelScale}).");
        if (Mean is null || Mean.Length != Channels)
            throw new ArgumentException($"Mean must have {Channels} values (got {Mean?.Length ?? 0}).");
        if (Std is null || Std.Length != Channels)
            throw new ArgumentException($"Std must have {Channels} values (got {Std?.Length ?? 0}).");
        foreach (var s in Std)
            if (!(s > 0) || float.IsInfinity(s)) throw new ArgumentException($"Every Std value must be positive and finite (got {s}).");
        foreach (var m in Mean)
            if (!float.IsFinite(m)) throw new ArgumentException($"Every Mean value must be finite (got {m}).");
        if (!string.Equals(ResizeFilter, "bilinear", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"ResizeFilter '{ResizeFilter}' is not supported; use 'bilinear'.");
        return this;
    }

    public string ToJson() => JsonSerializer.Serialize(this, CoreJsonContext.Default.PreprocessingSpec);

    public static PreprocessingSpec FromJson(string json) =>
        (JsonSerializer.Deserialize(json, CoreJsonContext.Default.PreprocessingSpec)
         ?? throw new FormatException("Preprocessing spec JSON is empty.")).Validate();

    public bool Equals(PreprocessingSpec? other) =>
        other is not null && ResizeSize == other.ResizeSize && CropSize == other.CropSize && Channels == other.Channels
        && PixelScale == other.PixelScale && Mean.AsSpan().SequenceEqual(other.Mean) && Std.AsSpan().SequenceEqual(other.Std)
        && string.Equals(ResizeFilter, other.ResizeFilter, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(ResizeSize, CropSize, Channels, PixelScale);
}
