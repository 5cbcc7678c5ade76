using MLRFNet.Imaging.Synthetic;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Training.Tests.Training;

/// <summary>A temporary folder with a phantom set split by patient, for end-to-end training tests.</summary>
internal sealed class PhantomRun : IDisposable
{
    public PhantomRun(int count, int seed, int size = 256)
    {
        Root = Path.Combine(Path.GetTempPath(), "mlrfnet-train-" + Guid.NewGuid().ToString("N"));
        Labels = PhantomDataset.Write(Path.Combine(Root, "data"), count, seed, size);
        Images = Path.Combine(Root, "data", "images");
        Dataset = LabelledFolderDataset.Load(Labels, Images);
    }

    public string Root { get; }

    public string Labels { get; }

    public string Images { get; }

    public XrayDataset Dataset { get; }

    public string RunFolder(string name) => Path.Combine(Root, "runs", name);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
