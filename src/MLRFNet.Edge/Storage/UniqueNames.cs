namespace MLRFNet.Edge.Storage;

/// <summary>How the service names things so that nothing is overwritten and a person can still read the name.</summary>
internal static class UniqueNames
{
    /// <summary><c>a.png</c>, then <c>a-1.png</c>, <c>a-2.png</c>, ... Multi-part names keep their last extension.</summary>
    public static string WithSuffix(string fileName, int attempt)
    {
        if (attempt == 0) return fileName;
        var extension = Path.GetExtension(fileName);
        var stem = fileName[..^extension.Length];
        return $"{stem}-{attempt}{extension}";
    }

    /// <summary>
    /// The report name of an input: its file name without extension plus the first 12 hex digits of its SHA-256,
    /// so the same content under the same name always maps to the same report (how a restart finds a report
    /// written just before a crash) and different content never shares one.
    /// </summary>
    public static string ReportBase(string inputName, string sha256) =>
        SafeStem(Path.GetFileNameWithoutExtension(inputName)) + "." + sha256[..12];

    /// <summary>Keeps letters, digits and <c>-_.</c>; anything else (spaces, quotes, slashes) becomes '_'.</summary>
    public static string SafeStem(string stem)
    {
        if (stem.Length == 0) return "image";
        var chars = stem.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.')) chars[i] = '_';
        return new string(chars).TrimStart('.') is { Length: > 0 } s ? s : "image";
    }
}
