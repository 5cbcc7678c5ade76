namespace MLRFNet.Imaging.Datasets;

/// <summary>
/// Finds an image by file name across one or more folders. ChestX-ray14 ships as <c>images_001/images</c> ..
/// <c>images_012/images</c>; one scan builds a name → path index, so 112,120 look-ups cost no file-system calls.
/// </summary>
public sealed class ImageLocator
{
    private readonly Dictionary<string, string> byName = new(StringComparer.Ordinal);

    public ImageLocator(IEnumerable<string> folders)
    {
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"Image folder not found: {folder}");
            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                byName.TryAdd(Path.GetFileName(path), path);
        }
    }

    public int Count => byName.Count;

    public bool TryFind(string imageIndex, out string path) => byName.TryGetValue(Path.GetFileName(imageIndex), out path!);
}
