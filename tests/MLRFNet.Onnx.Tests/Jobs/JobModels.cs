using System.Globalization;
using MLRFNet.Core.Manifest;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Imaging.Synthetic;
using MLRFNet.Onnx.Tests.Qa;

namespace MLRFNet.Onnx.Tests.Jobs;

/// <summary>
/// For the library jobs: the conv stack at a fixed 64 px with its FP32 manifest (as <c>mlrfnet export</c> writes one),
/// and a labelled folder of 64 px phantoms whose CSV carries the four synthetic attribute columns (seeded 0/1), read
/// as <see cref="LabelledFolderDataset"/> does for the CLI.
/// </summary>
public sealed class JobModels
{
    public JobModels()
    {
        Folder = TestModels.OutputFolder("jobs-" + Guid.NewGuid().ToString("N")[..8]);
        Fp32 = Path.Combine(Folder, "fp32.onnx");
        GateModels.WithFixedSize(TestModels.ConvStack, Fp32, 64);
        GateModels.WriteManifest(Fp32, ModelPrecision.Fp32);

        var data = Path.Combine(Folder, "data");
        PhantomDataset.Write(data, 12, seed: 3, size: 64);
        var random = new Random(4);
        var lines = new List<string> { string.Join(',', ["Image Index", .. GateModels.Labels.Labels]) };
        for (var i = 0; i < 12; i++)
            lines.Add(string.Join(',', [PhantomDataset.FileName(i), .. Enumerable.Range(0, 4).Select(c => (i % 2 == c % 2 ? 1 : random.Next(2)).ToString(CultureInfo.InvariantCulture))]));
        Labels = Path.Combine(data, "attributes.csv");
        File.WriteAllLines(Labels, lines);
        Images = Path.Combine(data, "images");
    }

    public string Folder { get; }
    public string Fp32 { get; }
    public string Labels { get; }
    public string Images { get; }

    public XrayDataset Dataset() => LabelledFolderDataset.Load(Labels, Images, GateModels.Labels);

    public string this[string name] => Path.Combine(Folder, name);
}
