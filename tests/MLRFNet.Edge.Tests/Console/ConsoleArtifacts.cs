namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>
/// artifacts/test-screenshots/console at the repository root (or beside the test binary): the browser test's screenshots
/// and the load test's summary line, for a person to look at; tools/test.sh prints the summaries into the CI log.
/// </summary>
internal static class ConsoleArtifacts
{
    public static string Folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MLRFNet.Edge.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "test-screenshots", "console");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
