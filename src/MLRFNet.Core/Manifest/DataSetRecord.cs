using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MLRFNet.Core.Manifest;

/// <summary>
/// A data set as a manifest records it: a name (the labels file's name, e.g. <c>validation.csv</c>), how many images,
/// and a fingerprint of its content, so two records can be compared without any machine's folder paths.
/// </summary>
public sealed record DataSetRecord(string Name, int Images, string Fingerprint)
{
    /// <summary>
    /// SHA-256 (hex) over one line per image, <c>&lt;image SHA-256&gt;,&lt;0/1 labels in label order&gt;</c>, the lines
    /// sorted ordinally: independent of file names, folders and row order; any changed image or label changes it.
    /// </summary>
    public static string FingerprintOf(IEnumerable<(string ImageSha256, IReadOnlyList<float> Targets)> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var lines = images.Select(i =>
                i.ImageSha256.ToLowerInvariant() + "," +
                string.Join("", i.Targets.Select(t => t >= 0.5f ? '1' : '0')))
            .Order(StringComparer.Ordinal).ToArray();
        if (lines.Length == 0) throw new ArgumentException("A data set fingerprint needs at least one image.", nameof(images));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines))));
    }

    /// <summary>A record for the images at <paramref name="imagePaths"/> with their targets, hashing each file.</summary>
    public static DataSetRecord Of(string name, IReadOnlyList<(string ImagePath, IReadOnlyList<float> Targets)> images) =>
        new(name, images.Count, FingerprintOf(images.Select(i => (ModelManifest.Sha256OfFile(i.ImagePath), i.Targets))));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}, {Images} images, fingerprint {Fingerprint[..Math.Min(16, Fingerprint.Length)]}");
}
