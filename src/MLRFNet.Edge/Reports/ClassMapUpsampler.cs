namespace MLRFNet.Edge.Reports;

/// <summary>
/// Bilinear resampling of a class score map with half-pixel centres and edge clamping: the convention of
/// <c>torch.nn.functional.interpolate(mode="bilinear", align_corners=False)</c>
/// (https://pytorch.org/docs/stable/generated/torch.nn.functional.interpolate.html), so a heatmap lines up with the
/// feature grid the way Grad-CAM style overlays do in PyTorch code.
/// </summary>
internal static class ClassMapUpsampler
{
    public static float[] Upsample(ReadOnlySpan<float> map, int height, int width, int outHeight, int outWidth)
    {
        if (map.Length != height * width) throw new ArgumentException($"Map has {map.Length} values, expected {height}x{width}.");
        var result = new float[outHeight * outWidth];
        var scaleY = (double)height / outHeight;
        var scaleX = (double)width / outWidth;
        for (var y = 0; y < outHeight; y++)
        {
            // Source coordinate of the output pixel centre; negative values clamp to the first row (PyTorch does).
            var sy = Math.Max((y + 0.5) * scaleY - 0.5, 0);
            var y0 = Math.Min((int)sy, height - 1);
            var y1 = Math.Min(y0 + 1, height - 1);
            var fy = sy - y0;
            for (var x = 0; x < outWidth; x++)
            {
                var sx = Math.Max((x + 0.5) * scaleX - 0.5, 0);
                var x0 = Math.Min((int)sx, width - 1);
                var x1 = Math.Min(x0 + 1, width - 1);
                var fx = sx - x0;
                var top = (1 - fx) * map[y0 * width + x0] + fx * map[y0 * width + x1];
                var bottom = (1 - fx) * map[y1 * width + x0] + fx * map[y1 * width + x1];
                result[y * outWidth + x] = (float)((1 - fy) * top + fy * bottom);
            }
        }
        return result;
    }
}
