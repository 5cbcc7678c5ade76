using System.Diagnostics;

namespace MLRFNet.Benchmarks;

/// <summary>How the edge service is started: the published binary, an apphost, or a .dll through <c>dotnet</c>.</summary>
/// <param name="Description">What the report says was run (the AOT binary's cold start is the product's; a JIT build's is not).</param>
public sealed record EdgeLauncher(string FileName, IReadOnlyList<string> PrefixArguments, string Description)
{
    public static EdgeLauncher ForBinary(string path)
    {
        var full = Path.GetFullPath(path);
        return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new EdgeLauncher("dotnet", [full], $"dotnet {full} (JIT)")
            : new EdgeLauncher(full, [], IsNativeAot(full) ? $"{full} (Native AOT)" : $"{full} (apphost, JIT)");
    }

    /// <summary>
    /// Builds MLRFNet.Edge (Release) from the source tree that contains the working directory or this tool, and
    /// returns its <c>dotnet mlrfnet-edge.dll</c> launcher. The build is not timed; the service then runs JIT-compiled.
    /// </summary>
    public static EdgeLauncher BuildFromSource(Action<string> log)
    {
        var project = FindProject() ?? throw new FileNotFoundException(
            "No --edge-binary given and src/MLRFNet.Edge/MLRFNet.Edge.csproj was not found above the working directory; pass --edge-binary (the published mlrfnet-edge) or --no-edge.");
        log($"building {project} (Release) for the service runs");
        var (code, output) = RunTool("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet"]);
        if (code != 0) throw new IOException($"dotnet build of {project} failed (exit {code}):\n{output}");
        var (_, targetPath) = RunTool("dotnet", ["msbuild", project, "-getProperty:TargetPath", "-p:Configuration=Release"]);
        var dll = targetPath.Trim();
        if (!File.Exists(dll)) throw new FileNotFoundException($"The built service '{dll}' is missing after dotnet build.", dll);
        return new EdgeLauncher("dotnet", [dll], $"dotnet {dll} (built from source, JIT: cold start is not the AOT product's)");
    }

    private static string? FindProject()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "src", "MLRFNet.Edge", "MLRFNet.Edge.csproj");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>A Native AOT binary has no managed entry assembly beside it (an apphost has <c>name.dll</c>).</summary>
    private static bool IsNativeAot(string path) =>
        !File.Exists(Path.ChangeExtension(path, ".dll")) && !File.Exists(path + ".dll");

    private static (int Code, string Output) RunTool(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new IOException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
