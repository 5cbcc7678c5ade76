using MLRFNet.Tests;

namespace MLRFNet.Training.Tests.TestSupport;

/// <summary>
/// The full-size PyTorch references in Fixtures/generated/ (make_full_parity.py, ~200 MB, never committed):
/// tools/test.sh writes them first (tools/full-parity-fixtures.sh) and fails when a test that needs them skips
/// (tools/full-parity-report.py lists those tests); a plain <c>dotnet test</c> skips them with this message.
/// </summary>
internal static class FullParityFixtures
{
    public static string Folder { get; } = Path.Combine(SharedData.RepoRoot, "tests", "MLRFNet.Training.Tests", "Fixtures", "generated");

    /// <summary>The paths of <paramref name="names"/> in <see cref="Folder"/>; skips the test naming the absent ones.</summary>
    public static string[] Require(params string[] names)
    {
        var paths = names.Select(n => Path.Combine(Folder, n)).ToArray();
        var absent = paths.Where(p => !File.Exists(p)).ToArray();
        Skip.If(absent.Length > 0,
            $"{string.Join(" and ", absent)} absent: run tools/full-parity-fixtures.sh to enable the full-size parity test.");
        return paths;
    }
}
