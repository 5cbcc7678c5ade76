namespace MLRFNet.Edge.Storage;

/// <summary>How the service names things so that nothing is overwritten and a person can still read the name.</summary>
internal static class UniqueNames
{
    /// <summary>Longest stem kept in a report name: the report's own name must fit NAME_MAX with room to spare.</summary>
    public const int MaxReportStem = 120;

    /// <summary>
    /// <c>a.png</c>, then <c>a-1.png</c>, <c>a-2.png</c>, ... Multi-part names keep their last extension. A name that
    /// would be longer than <paramref name="maxBytes"/> on disk has its stem shortened (the suffix and extension stay),
    /// so a 255-byte name still gets a free name next to itself.
    /// </summary>
    public static string WithSuffix(string fileName, int attempt, int maxBytes = RawNames.NameMax)
    {
        var extension = Path.GetExtension(fileName);
        if (RawNames.ByteLength(extension) > 32) extension = "";
        var stem = fileName[..^extension.Length];
        var tail = (attempt == 0 ? "" : $"-{attempt}") + extension;
        if (attempt == 0 && RawNames.ByteLength(fileName) <= maxBytes) return fileName;
        return RawNames.TrimToBytes(stem, maxBytes - RawNames.ByteLength(tail)) + tail;
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="original"/> or one of its suffixed forms (<c>a-3.png</c>).</summary>
    public static bool IsSameOrSuffixed(string name, string original)
    {
        if (name == original) return true;
        var extension = Path.GetExtension(original);
        var stem = original[..^extension.Length];
        if (!name.StartsWith(stem + "-", StringComparison.Ordinal) || !name.EndsWith(extension, StringComparison.Ordinal)) return false;
        var middle = name[(stem.Length + 1)..^extension.Length];
        return middle.Length > 0 && middle.All(char.IsAsciiDigit);
    }

    /// <summary>
    /// The report name of an input: its file name without extension (made safe, at most <see cref="MaxReportStem"/>
    /// characters) plus the first 12 hex digits of its SHA-256, so the same content under the same name always maps
    /// to the same report (how a restart finds a report written just before a crash) and different content never
    /// shares one.
    /// </summary>
    public static string ReportBase(string inputName, string sha256)
    {
        var stem = SafeStem(Path.GetFileNameWithoutExtension(inputName));
        if (stem.Length > MaxReportStem) stem = stem[..MaxReportStem];
        return stem + "." + sha256[..12];
    }

    /// <summary>Keeps letters, digits and <c>-_.</c>; anything else (spaces, quotes, slashes, bytes that are not UTF-8) becomes '_'.</summary>
    public static string SafeStem(string stem)
    {
        if (stem.Length == 0) return "image";
        var chars = stem.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.')) chars[i] = '_';
        return new string(chars).TrimStart('.') is { Length: > 0 } s ? s : "image";
    }
}
