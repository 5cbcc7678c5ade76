using System.Globalization;
using System.Text;
using MLRFNet.Core.Labels;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Imaging.Synthetic;

/// <summary>Writes a set of <see cref="ChestPhantom"/> images and a labels.csv in the plain labelled-folder format.</summary>
public static class PhantomDataset
{
    /// <summary>
    /// Writes <c>DIR/images/phantom_NNNNN.png</c> and <c>DIR/labels.csv</c> (<c>Image Index</c>, <c>Patient ID</c>
    /// — one patient per phantom — and the 14 ChestX-ray14 columns). Refuses to overwrite an existing labels.csv.
    /// </summary>
    public static string Write(string outDir, int count, int seed, int size = 512, int firstIndex = 0)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Count must be positive.");
        var imagesDir = Path.Combine(outDir, "images");
        Directory.CreateDirectory(imagesDir);
        var labelsPath = Path.Combine(outDir, "labels.csv");
        if (File.Exists(labelsPath))
            throw new IOException($"{labelsPath} already exists; choose an empty --out folder (nothing is overwritten).");

        var rows = new string[count];
        Parallel.For(0, count, i =>
        {
            var index = firstIndex + i;
            var (pixels, targets) = ChestPhantom.Generate(seed, index, size);
            var name = FileName(index);
            using (var image = Image.LoadPixelData<L8>(pixels, size, size))
                image.Save(Path.Combine(imagesDir, name), new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
            rows[i] = name + "," + index.ToString(CultureInfo.InvariantCulture) + ","
                      + string.Join(",", targets.Select(t => t >= 0.5f ? "1" : "0"));
        });

        var csv = new StringBuilder();
        csv.Append("Image Index,Patient ID,").AppendJoin(',', LabelSets.ChestXray14.Labels).Append('\n');
        foreach (var row in rows) csv.Append(row).Append('\n');
        File.WriteAllText(labelsPath, csv.ToString());
        return labelsPath;
    }

    public static string FileName(int index) => $"phantom_{index:D5}.png";
}
