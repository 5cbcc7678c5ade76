using System.Device.Gpio;
using System.Text.Json;
using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MLRFNet.Edge.Tests.Scoring;

/// <summary>
/// A model reaches the box only with a manifest signed by a trusted key and, for FP16/INT8, a passed QA verdict.
/// Each refusal is a visible, stable state: exit code <see cref="EdgeHost.ExitCodes.ModelRefused"/> (listed in the
/// unit's RestartPreventExitStatus), health.json "refused" naming the reason, the fault line on, nothing taken from
/// the intake. With a fallback model configured the box runs it and says "degraded".
/// </summary>
public sealed class ModelRefusalTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string ModelFolder => Path.Combine(temp.Path, "model");

    private static HealthSnapshot Health(EdgeTestHost host) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(host.HealthFile), EdgeJsonContext.Default.HealthSnapshot)!;

    /// <summary>Starts the service on the model in <see cref="ModelFolder"/> with a fake GPIO chip; returns exit code, host and chip.</summary>
    private async Task<(int Code, EdgeTestHost Host, FakeGpioChipSource Gpio)> Run(Action<Dictionary<string, string?>>? configure = null)
    {
        await File.WriteAllBytesAsync(Path.Combine(temp.Path, "waiting.png"), SyntheticXrays.Png(1));
        var gpio = new FakeGpioChipSource(present: true);
        var host = EdgeTestHost.Create(temp.Path, s =>
        {
            s["Edge:Once"] = "true";
            s["Gpio:Enabled"] = "true";
            s["Gpio:ReadyLine"] = "3"; s["Gpio:BusyLine"] = "4"; s["Gpio:FaultLine"] = "5"; s["Gpio:AlertLine"] = "6";
            configure?.Invoke(s);
        }, gpio: gpio, writeModel: false);
        Directory.CreateDirectory(host.Intake);
        File.Move(Path.Combine(temp.Path, "waiting.png"), Path.Combine(host.Intake, "waiting.png"));
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, host, gpio);
    }

    private async Task AssertRefused(RefusalReason reason, params string[] messageParts)
    {
        var (code, host, gpio) = await Run();
        await using (host)
        {
            Assert.Equal(EdgeHost.ExitCodes.ModelRefused, code);
            var health = Health(host);
            Assert.Equal("refused", health.Status);
            Assert.StartsWith(reason + ":", health.ModelRefused);
            foreach (var part in messageParts) Assert.Contains(part, health.ModelRefused);
            Assert.Equal(PinValue.High, gpio.Driver!.Level(5)); // fault LED on
            Assert.Equal(PinValue.Low, gpio.Driver.Level(3)); // ready LED off
            Assert.Single(host.Logs.Entries, e => e.EventId == 101); // logged once
            Assert.Equal(["waiting.png"], host.Files(host.Intake)); // nothing taken
            Assert.Null(host.Scorers.Request); // no session was ever created
        }
    }

    [Fact]
    public Task AnUnsignedManifestIsRefused()
    {
        TestModel.Write(ModelFolder, unsigned: true);
        return AssertRefused(RefusalReason.Unsigned, "unsigned");
    }

    [Fact]
    public Task AManifestSignedByAnUntrustedKeyIsRefused()
    {
        TestModel.Write(ModelFolder, signedBy: TestKeys.Stranger);
        return AssertRefused(RefusalReason.UnknownKey, TestKeys.Stranger.KeyId, "not trusted");
    }

    [Fact]
    public Task AManifestSignedByARevokedKeyIsRefusedEvenThoughItsPublicKeyIsInTheFolder()
    {
        TestModel.Write(ModelFolder);
        TestKeys.WriteTrustedFolder(Path.Combine(temp.Path, "trusted-keys"), TestKeys.Trusted.KeyId);
        return AssertRefused(RefusalReason.RevokedKey, TestKeys.Trusted.KeyId, "revoked");
    }

    [Fact]
    public Task TheForgedInt8CaseIsRefused_PassedEditedToTrueAfterSigning()
    {
        // The attack: a model whose gate failed, its manifest edited to say it passed.
        var path = TestModel.Write(ModelFolder, ModelPrecision.Int8, TestModel.Qa(QaVerdict.Failed));
        var manifestPath = ModelManifest.ManifestPathFor(path);
        var json = File.ReadAllText(manifestPath);
        Assert.Contains("\"passed\": false", json);
        File.WriteAllText(manifestPath, json.Replace("\"passed\": false", "\"passed\": true").Replace("\"verdict\": \"Failed\"", "\"verdict\": \"Passed\""));
        return AssertRefused(RefusalReason.Altered, "altered after it was signed");
    }

    [Fact]
    public Task AThresholdEditedAfterSigningIsRefused()
    {
        var path = TestModel.Write(ModelFolder);
        var manifestPath = ModelManifest.ManifestPathFor(path);
        var manifest = ModelManifest.Load(manifestPath);
        // Keep the signature block, lower one threshold (more flags) and save: the signature no longer matches.
        (manifest with { Thresholds = [0.5f, 0.6f, 0.1f] }).Save(manifestPath);
        return AssertRefused(RefusalReason.Altered, "altered");
    }

    [Fact]
    public Task ASignedFailedVerdictIsRefused()
    {
        TestModel.Write(ModelFolder, ModelPrecision.Int8, TestModel.Qa(QaVerdict.Failed));
        return AssertRefused(RefusalReason.QaFailed, "failed its QA gate", "Nodule");
    }

    [Fact]
    public Task ASignedInconclusiveVerdictIsRefusedLikeAFailedOne()
    {
        TestModel.Write(ModelFolder, ModelPrecision.Fp16, TestModel.Qa(QaVerdict.Inconclusive));
        return AssertRefused(RefusalReason.QaInconclusive, "inconclusive", "test reason");
    }

    [Fact]
    public Task AReducedPrecisionModelWithoutAVerdictIsRefused()
    {
        TestModel.Write(ModelFolder, ModelPrecision.Fp16);
        return AssertRefused(RefusalReason.QaMissing, "no QA verdict");
    }

    [Fact]
    public async Task ASignedPassedFp16ModelStartsAndIsReady()
    {
        TestModel.Write(ModelFolder, ModelPrecision.Fp16, TestModel.Qa(QaVerdict.Passed));
        var (code, host, _) = await Run();
        await using (host)
        {
            Assert.Equal(EdgeHost.ExitCodes.Ok, code);
            Assert.Equal(ModelPrecision.Fp16, host.Scorers.Request!.Manifest.Precision);
            Assert.Single(host.Inputs(host.Archive));
        }
    }

    [Fact]
    public async Task ARefusedModelWithAFallbackRunsThePreviousModelAndSaysDegradedInHealthAndEveryReport()
    {
        var previous = TestModel.Write(Path.Combine(temp.Path, "previous"), seed: 11, modelVersion: "previous-1");
        TestModel.Write(ModelFolder, signedBy: TestKeys.Stranger, modelVersion: "new-2");
        var gpio = new FakeGpioChipSource(present: true);
        await using var host = EdgeTestHost.Create(temp.Path, s =>
        {
            s["Inference:FallbackModelPath"] = previous;
            s["Gpio:Enabled"] = "true";
            s["Gpio:ReadyLine"] = "3"; s["Gpio:BusyLine"] = "4"; s["Gpio:FaultLine"] = "5"; s["Gpio:AlertLine"] = "6";
        }, gpio: gpio, writeModel: false);
        await host.StartAsync();
        Assert.Equal(previous, host.Scorers.Request!.ModelPath);
        await host.WaitUntilAsync(() => File.Exists(host.HealthFile) && Health(host).Status == "degraded", what: "health says degraded");
        var health = Health(host);
        Assert.Contains("UnknownKey", health.ModelRefused);
        Assert.Contains("previous-1", health.Model);
        Assert.Equal(PinValue.High, gpio.Driver!.Level(5)); // someone must look at the model slot
        Assert.Equal(PinValue.High, gpio.Driver.Level(3)); // ...but the box still scores

        foreach (var i in new[] { 1, 2 }) await File.WriteAllBytesAsync(Path.Combine(host.Intake, $"s{i}.png"), SyntheticXrays.Png(i));
        await host.WaitUntilAsync(() => host.ReportJsons().Length == 2, what: "two reports");
        foreach (var name in host.ReportJsons())
        {
            var report = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(host.Reports, name)), EdgeJsonContext.Default.StudyReport)!;
            Assert.Equal("previous-1", report.Model.Version);
            Assert.Contains("UnknownKey", report.ModelDegraded);
            Assert.Contains("DEGRADED", File.ReadAllText(Path.Combine(host.Reports, report.HtmlReport ?? Path.ChangeExtension(name, ".html"))));
        }
    }

    [Fact]
    public async Task WhenTheFallbackIsRefusedTooTheBoxIsRefusedNamingBoth()
    {
        var previous = TestModel.Write(Path.Combine(temp.Path, "previous"), unsigned: true, seed: 11);
        TestModel.Write(ModelFolder, signedBy: TestKeys.Stranger);
        var (code, host, _) = await Run(s => s["Inference:FallbackModelPath"] = previous);
        await using (host)
        {
            Assert.Equal(EdgeHost.ExitCodes.ModelRefused, code);
            var health = Health(host);
            Assert.Equal("refused", health.Status);
            Assert.Contains("UnknownKey", health.ModelRefused);
            Assert.Contains("fallback model was refused too (Unsigned", health.ModelRefused);
        }
    }

    [Fact]
    public void TheSystemdUnitDoesNotRestartARefusal()
    {
        var unit = File.ReadAllLines(Path.Combine(MLRFNet.Tests.SharedData.RepoRoot, "deploy", "mlrfnet-edge.service"));
        var prevent = Assert.Single(unit, l => l.StartsWith("RestartPreventExitStatus=", StringComparison.Ordinal));
        Assert.Contains(EdgeHost.ExitCodes.ModelRefused.ToString(System.Globalization.CultureInfo.InvariantCulture),
            prevent["RestartPreventExitStatus=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Restart=always", unit); // other failures still restart
    }

    private sealed class CountingHasher : IModelHasher
    {
        public int Calls;

        public string Sha256(byte[] bytes)
        {
            Interlocked.Increment(ref Calls);
            return Sha256ModelHasher.Instance.Sha256(bytes);
        }
    }

    [Fact]
    public async Task TheRealScorerPathHashesTheModelOnceAtStart()
    {
        var modelPath = Path.Combine(ModelFolder, "tiny_mlrfnet.onnx");
        Directory.CreateDirectory(ModelFolder);
        foreach (var name in new[] { "tiny_mlrfnet.onnx", "tiny_mlrfnet.manifest.json" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", name), Path.Combine(ModelFolder, name));
        TestKeys.Sign(modelPath);
        var hasher = new CountingHasher();
        await using var host = EdgeTestHost.Create(temp.Path, s => s["Inference:ModelPath"] = modelPath, writeModel: false,
            services: s =>
            {
                s.AddSingleton<IXrayScorerFactory, OnnxScorerFactory>();
                s.AddSingleton<IModelHasher>(hasher);
            });
        await host.StartAsync();
        Assert.Equal(1, hasher.Calls);
        var model = host.Host.Services.GetRequiredService<ModelHost>();
        Assert.Equal(ModelManifest.Sha256OfFile(modelPath), model.ModelSha256);
    }
}
