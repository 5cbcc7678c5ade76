using MLRFNet.Tests;

namespace MLRFNet.Export.Tests.Support;

/// <summary>Runs the committed Fixtures/check_models.py (onnx.checker.check_model, full_check=True) with /usr/bin/python3.</summary>
internal static class ModelChecker
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Skips the calling test, visibly, where /usr/bin/python3 has no onnx package.</summary>
    public static void SkipUnlessAvailable() =>
        Skip.IfNot(File.Exists(Python) && ExternalProcess.Run(Python, ["-c", "import onnx"], 60_000).ExitCode == 0,
            $"{Python} with the onnx package is not installed (Debian: python3-onnx): ONNX checker test skipped.");

    /// <summary>Checks every .onnx file under <paramref name="directory"/>; returns the exit code and the script's report.</summary>
    public static (int ExitCode, string Output) CheckDirectory(string directory) =>
        ExternalProcess.Run(Python, [Path.Combine(AppContext.BaseDirectory, "Fixtures", "check_models.py"), directory], 600_000);
}
