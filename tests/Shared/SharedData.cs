namespace MLRFNet.Tests;

/// <summary>
/// Locates the real sample X-rays in <c>../shared/data</c> beside the checkout. They are never copied into the
/// repository; tests that need them call <see cref="Require"/> and are reported as skipped (with the reason) when
/// the folder is absent, so the suite passes on a fresh machine.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> root = new(Find);

    public static string? Root => root.Value;

    /// <summary>Skips the calling test (Xunit.SkippableFact) when the shared data is not there.</summary>
    public static string Require(params string[] relative)
    {
        var r = Root;
        Skip.If(r is null, "../shared/data is absent on this machine: real X-ray test skipped (set MLRFNET_SHARED_DATA to point at it).");
        var path = Path.Combine([r!, .. relative]);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"{path} is absent: real X-ray test skipped.");
        return path;
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("MLRFNET_SHARED_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLRFNet.Edge.sln")))
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
                return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
            }
        }
        return null;
    }

    /// <summary>The repository root (the folder holding MLRFNet.Edge.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MLRFNet.Edge.sln"))) return dir.FullName;
            throw new InvalidOperationException("MLRFNet.Edge.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
