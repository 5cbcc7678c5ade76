using MLRFNet.Tests;

namespace MLRFNet.Cli.Tests.Tools;

/// <summary>
/// tools/qa/score_gaps.py, the model card's pair figures: checked against gaps worked out by hand on four images, so a
/// script that paired every image with every other (instead of positives with negatives of one class), mixed classes
/// up or read the wrong column would print other numbers.
/// </summary>
public sealed class ScoreGapsScriptTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string folder = Directory.CreateTempSubdirectory("mlrfnet-gaps-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SkippableFact]
    public void PrintsTheCandidatesDpAndTheShareOfCloseReferencePairs()
    {
        SkipUnlessNumpy();
        // Class A: positives i1 (.50), i4 (.70), negatives i2 (.48), i3 (.20): gaps .02 .30 .22 .50.
        // Class B: positives i2 (.30), i4 (.90), negatives i1 (.10), i3 (.295): gaps .20 .005 .80 .605.
        var labels = Write("labels.csv", "Image Index,Patient ID,A,B\ni1,1,1,0\ni2,2,0,1\ni3,3,0,0\ni4,4,1,1\n");
        var reference = Write("ref.csv", "Image Index,A,B\ni1,0.50,0.10\ni2,0.48,0.30\ni3,0.20,0.295\ni4,0.70,0.90\n");
        // |dp|: 0.01 0 | 0.02 0 | 0 0.04 | 0 0.001 -> median 0.0005, p95 0.033 (linear), max 0.04.
        var candidate = Write("int8.csv", "Image Index,A,B\ni1,0.51,0.10\ni3,0.20,0.335\ni2,0.46,0.30\ni4,0.70,0.899\n");

        var (code, output) = Run(labels, reference, candidate, "--gaps", "0.01,0.03,1");

        Assert.True(code == 0, output);
        Assert.Contains($"{candidate}: |dp| median 0.0005, p95 0.0330, max 0.0400", output);
        Assert.Contains("reference pairs closer than 0.01: 12.5% of 8", output);
        Assert.Contains("reference pairs closer than 0.03: 25.0% of 8", output);
        Assert.Contains("reference pairs closer than 1: 100.0% of 8", output);
    }

    [SkippableFact]
    public void LabelsWithoutThePredictedClassesAreRefusedWithTheFix()
    {
        SkipUnlessNumpy();
        var labels = Write("labels.csv", "Image Index,A\ni1,1\ni2,0\n");
        var reference = Write("ref.csv", "Image Index,A,B\ni1,0.5,0.1\ni2,0.4,0.3\n");

        var (code, output) = Run(labels, reference, reference);

        Assert.NotEqual(0, code);
        Assert.Contains("labels CSV lacks the classes ['B']", output);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void SkipUnlessNumpy() =>
        Skip.IfNot(File.Exists(Python) && ExternalProcess.Run(Python, ["-c", "import numpy"], 60_000).ExitCode == 0,
            $"{Python} with numpy is not installed (Debian: python3-numpy): tools/qa/score_gaps.py test skipped.");

    private static (int ExitCode, string Output) Run(string labels, string reference, string candidate, params string[] extra) =>
        ExternalProcess.Run(Python, [Path.Combine(SharedData.RepoRoot, "tools", "qa", "score_gaps.py"), "--labels", labels, "--reference", reference, "--candidate", candidate, .. extra], 60_000);
}
