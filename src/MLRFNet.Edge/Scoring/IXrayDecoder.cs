using MLRFNet.Imaging;

namespace MLRFNet.Edge.Scoring;

/// <summary>The decoder seam: the service depends on MLRFNet.Imaging's API surface only, through this.</summary>
internal interface IXrayDecoder
{
    /// <summary>Decodes a PNG, JPEG or DICOM file's bytes, recognised by content; throws <see cref="XrayDecodeException"/>.</summary>
    XrayImage Decode(byte[] data, DecodeLimits limits);

    /// <summary>The model input tensor (C x Crop x Crop) under the model's own preprocessing.</summary>
    float[] ToTensor(XrayImage image, Core.Preprocessing.PreprocessingSpec spec);
}

/// <summary>The thin adapter over <see cref="XrayDecoder"/> and <see cref="EvalTransform"/>.</summary>
internal sealed class ImagingXrayDecoder : IXrayDecoder
{
    public XrayImage Decode(byte[] data, DecodeLimits limits) => XrayDecoder.Decode(data, limits);

    public float[] ToTensor(XrayImage image, Core.Preprocessing.PreprocessingSpec spec) => EvalTransform.ToTensor(image, spec);
}
