using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Tests.Options;

/// <summary>Bad configuration stops the real host at start with a message that names the key and the fix.</summary>
public sealed class OptionsValidationTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private async Task<string> StartFailure(Action<Dictionary<string, string?>> configure)
    {
        await using var host = EdgeTestHost.Create(temp.Path, configure);
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(EdgeHost.ExitCodes.StartFailed, code);
        return host.Logs.Entries.Single(e => e.EventId == 101).Message;
    }

    [Theory]
    [InlineData("Edge:QueueCapacity", "0", "Edge:QueueCapacity must be between 1 and 100000")]
    [InlineData("Inference:BatchSize", "65", "Inference:BatchSize must be between 1 and 64")]
    [InlineData("Inference:Threads", "-1", "Inference:Threads must be between 0 and 256")]
    [InlineData("Edge:StableAge", "02:00:00", "Edge:StableAge is 02:00:00; it must be between")]
    [InlineData("Edge:PollInterval", "00:00:00.001", "Edge:PollInterval is")]
    [InlineData("Edge:DecodeLimits:MaxWidth", "0", "Edge:DecodeLimits:MaxWidth must be between 1 and 65535")]
    [InlineData("Edge:MinFreeDiskMegabytes", "-5", "Edge:MinFreeDiskMegabytes must be between 0 and 10000000")]
    [InlineData("Inference:NativeLibraryPath", "libonnxruntime.so", "must be absolute")]
    [InlineData("Inference:NativeLibraryPath", "/nonexistent/libonnxruntime.so", "does not exist")]
    public async Task AnOutOfRangeValueFailsTheStartNamingTheKey(string key, string value, string expected)
    {
        var message = await StartFailure(s => s[key] = value);
        Assert.True(message.Contains(expected, StringComparison.Ordinal), message);
        Assert.Contains("appsettings.json", message); // and where to change it
    }

    [Fact]
    public async Task TwoRolesOnOneFolderAreRefused()
    {
        var message = await StartFailure(s => s["Edge:ArchiveFolder"] = s["Edge:IntakeFolder"]);
        Assert.Contains("Edge:ArchiveFolder and Edge:IntakeFolder are the same folder", message);
    }

    [Fact]
    public async Task AFolderThatIsAFileIsRefused()
    {
        var file = Path.Combine(temp.Path, "afile");
        await File.WriteAllTextAsync(file, "x");
        var message = await StartFailure(s => s["Edge:ReportsFolder"] = file);
        Assert.Contains("is a file, not a folder", message);
    }

    [Fact]
    public async Task AMissingModelSaysWhereItWasLookedFor()
    {
        var message = await StartFailure(s => s["Inference:ModelPath"] = Path.Combine(temp.Path, "nope.onnx"));
        Assert.Contains("nope.onnx", message);
        Assert.Contains("Inference:ModelPath", message);
    }

    [Fact]
    public async Task DuplicateProvidersAreRefused()
    {
        var message = await StartFailure(s => { s["Inference:Providers:0"] = "Cpu"; s["Inference:Providers:1"] = "Cpu"; });
        Assert.Contains("lists a provider twice", message);
    }

    [Fact]
    public async Task GpioEnabledWithoutLinesOrWithSharedLinesIsRefused()
    {
        var none = await StartFailure(s => s["Gpio:Enabled"] = "true");
        Assert.Contains("no line is set", none);
        var shared = await StartFailure(s => { s["Gpio:Enabled"] = "true"; s["Gpio:ReadyLine"] = "5"; s["Gpio:AlertLine"] = "5"; });
        Assert.Contains("GPIO line 5 is used by Gpio:ReadyLine and Gpio:AlertLine", shared);
    }

    [Fact]
    public void ValidDefaultsPassEveryValidator()
    {
        // Guards the other tests: a validator that refused everything would make them pass for the wrong reason.
        var edge = new MLRFNet.Edge.Options.EdgeOptions
        {
            IntakeFolder = Path.Combine(temp.Path, "i"), WorkFolder = Path.Combine(temp.Path, "w"), ReportsFolder = Path.Combine(temp.Path, "r"),
            ArchiveFolder = Path.Combine(temp.Path, "a"), QuarantineFolder = Path.Combine(temp.Path, "q"),
        };
        Assert.True(new MLRFNet.Edge.Options.EdgeOptionsValidator().Validate(null, edge).Succeeded);
        Assert.True(new MLRFNet.Edge.Options.EdgeCrossFieldValidator().Validate(null, edge).Succeeded);
        Assert.True(new MLRFNet.Edge.Options.EdgeCrossFieldValidator().Validate(null, new MLRFNet.Edge.Options.GpioOptions()).Succeeded);
    }
}
