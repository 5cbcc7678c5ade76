using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Imaging.Transforms;

/// <summary>
/// Where the evaluation preprocessing looks on a film: resize so the shorter side is <c>ResizeSize</c>
/// (<see cref="Resize.ShorterSideTo"/>: the longer side truncated, as torchvision does), then the centre crop
/// <c>CropSize</c> (<see cref="CenterCrop.Window"/>). The one formula for the model input (<see cref="EvalTransform"/>)
/// and for everything drawn on the film at the place the model saw (the edge service's heatmaps).
/// </summary>
/// <param name="SourceWidth">Film width in pixels.</param>
/// <param name="SourceHeight">Film height in pixels.</param>
/// <param name="ResizedWidth">Width of the resized image the crop is taken from.</param>
/// <param name="ResizedHeight">Height of the resized image.</param>
/// <param name="Window">The crop, in resized pixels.</param>
public readonly record struct CropGeometry(int SourceWidth, int SourceHeight, int ResizedWidth, int ResizedHeight, CropWindow Window)
{
    /// <summary>The geometry of <paramref name="spec"/> on a <paramref name="width"/> x <paramref name="height"/> film.</summary>
    public static CropGeometry Of(int width, int height, PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Of(width, height, spec.ResizeSize, spec.CropSize);
    }

    /// <summary>Shorter side to <paramref name="resizeSize"/>, then the centred <paramref name="cropSize"/> square.</summary>
    public static CropGeometry Of(int width, int height, int resizeSize, int cropSize)
    {
        var (resizedWidth, resizedHeight) = Resize.ShorterSideTo(width, height, resizeSize);
        return new CropGeometry(width, height, resizedWidth, resizedHeight, CenterCrop.Window(resizedWidth, resizedHeight, cropSize));
    }

    /// <summary>
    /// The film region the crop's samples cover, in film pixels (fractional): resized pixel i covers film
    /// <c>[i·s, (i+1)·s)</c> with <c>s = source / resized</c> on each axis (the resize's half-pixel sample grid,
    /// <see cref="ResampleKernel"/>). The two axes' scales differ slightly because the longer side is truncated, so
    /// the region is not exactly square.
    /// </summary>
    public (double Left, double Top, double Width, double Height) SourceRegion
    {
        get
        {
            var scaleX = (double)SourceWidth / ResizedWidth;
            var scaleY = (double)SourceHeight / ResizedHeight;
            return (Window.X * scaleX, Window.Y * scaleY, Window.Width * scaleX, Window.Height * scaleY);
        }
    }
}
