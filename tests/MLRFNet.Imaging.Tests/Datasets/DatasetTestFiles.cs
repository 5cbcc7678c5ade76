namespace MLRFNet.Imaging.Tests.Datasets;

/// <summary>A temporary folder with label files and empty placeholder "images" (the loaders only check existence).</summary>
internal sealed class DatasetTestFiles : IDisposable
{
    public DatasetTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "mlrfnet-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Touch(string relative) => Write(relative, "");

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
