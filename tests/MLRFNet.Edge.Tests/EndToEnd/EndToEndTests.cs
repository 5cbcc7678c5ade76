using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Tests;

namespace MLRFNet.Edge.Tests.EndToEnd;

/// <summary>The real host over temporary folders: good files are reported and archived, bad ones quarantined with reasons.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task GoodAndBadFilesEndInArchiveOrQuarantineWithReportsAndReasons()
    {
        await using var host = EdgeTestHost.Create(temp.Path);
        await host.StartAsync();

        var good = new Dictionary<string, byte[]>
        {
            ["chest-png.png"] = SyntheticXrays.Png(1),
            ["chest-png16.png"] = SyntheticXrays.Png16(2),
            ["chest-jpeg.jpg"] = SyntheticXrays.Jpeg(3),
            ["chest-dicom.dcm"] = SyntheticXrays.Dicom16(4),
            ["no-extension"] = SyntheticXrays.Png(5), // recognised by content, not by name
        };
        var truncatedPng = SyntheticXrays.Png(6);
        var oversizedHeader = SyntheticXrays.Png(7);
        // PNG IHDR width at bytes 16..19 (big endian): claim 60000 x 112, over MaxWidth 16384 (CRC left stale).
        oversizedHeader[16] = 0; oversizedHeader[17] = 0; oversizedHeader[18] = 0xEA; oversizedHeader[19] = 0x60;
        var bad = new Dictionary<string, (byte[] Bytes, string Kind)>
        {
            ["empty.png"] = ([], "Empty"),
            ["truncated.png"] = (truncatedPng[..(truncatedPng.Length / 2)], "Truncated"),
            ["text.png"] = ("this is not an image, just a note somebody saved as .png\n"u8.ToArray(), "UnknownFormat"),
            ["huge.png"] = (oversizedHeader, "TooLarge"),
            ["jpeg2000.dcm"] = (SyntheticXrays.DicomJpeg2000(8), "Malformed"),   // an 8-byte stub codestream: OpenJPEG refuses it
        };
        foreach (var (name, bytes) in good) await File.WriteAllBytesAsync(Path.Combine(host.Intake, name), bytes);
        foreach (var (name, (bytes, _)) in bad) await File.WriteAllBytesAsync(Path.Combine(host.Intake, name), bytes);
        // Temporary names are never taken.
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "copying.png.part"), SyntheticXrays.Png(9));
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, ".hidden.png"), SyntheticXrays.Png(10));

        var total = good.Count + bad.Count;
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length + host.Inputs(host.Quarantine).Length == total
            && host.State.Scored + host.State.Quarantined == total, what: "all files out");

        Assert.Equal(good.Keys.Order(StringComparer.Ordinal), host.Inputs(host.Archive));
        Assert.Equal(bad.Keys.Order(StringComparer.Ordinal), host.Inputs(host.Quarantine));
        Assert.Equal(["copying.png.part"], host.Files(host.Intake)); // dotfile hidden from Files(), still there:
        Assert.True(File.Exists(Path.Combine(host.Intake, ".hidden.png")));
        Assert.Empty(host.Files(host.Work));

        foreach (var (name, (bytes, kind)) in bad)
        {
            var record = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Combine(host.Quarantine, name + ".error.json")),
                EdgeJsonContext.Default.QuarantineRecord)!;
            Assert.Equal(name, record.InputName);
            Assert.Equal(kind, record.Kind);
            Assert.False(string.IsNullOrWhiteSpace(record.Reason));
            Assert.False(string.IsNullOrWhiteSpace(record.WhatToDo));
            Assert.Equal(bytes.Length, record.Bytes);
            // Quarantined bytes are the bytes dropped: nothing altered, nothing lost.
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(host.Quarantine, name)));
        }

        var reports = host.ReportJsons().Select(n => JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(host.Reports, n)),
            EdgeJsonContext.Default.StudyReport)!).ToDictionary(r => r.Input.Name);
        Assert.Equal(good.Keys.Order(StringComparer.Ordinal), reports.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in good)
        {
            var report = reports[name];
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), report.Input.Sha256);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(host.Archive, name)));
            Assert.True(File.Exists(Path.Combine(host.Reports, report.HtmlReport!)));
            Assert.Equal("FakeCPU", report.Model.ExecutionProvider);
            // DICOM inputs get an SR and a Secondary Capture beside the report, written before it; other formats none.
            if (name.EndsWith(".dcm", StringComparison.Ordinal))
            {
                Assert.Equal([report.ReportId + ".sr.dcm", report.ReportId + ".sc.dcm"], report.DicomResults);
                foreach (var file in report.DicomResults!) Assert.True(File.Exists(Path.Combine(host.Reports, file)), file);
            }
            else Assert.Null(report.DicomResults);
        }
        Assert.Equal("Dicom", reports["chest-dicom.dcm"].Input.Format);
        Assert.Equal(DicomTestWriter.IdsFor(4).StudyUid, reports["chest-dicom.dcm"].Dicom!.StudyInstanceUid);
        Assert.Equal(DicomTestWriter.IdsFor(4).PatientId, reports["chest-dicom.dcm"].Dicom!.PatientId);
        Assert.Null(reports["chest-png.png"].Dicom);
        Assert.Equal("Jpeg", reports["chest-jpeg.jpg"].Input.Format);
        Assert.Equal("Png", reports["no-extension"].Input.Format);

        // The ledger has one line per report (plus its header).
        var ledger = await File.ReadAllLinesAsync(Path.Combine(host.Reports, CsvLedger.FileName));
        Assert.Equal(good.Count + 1, ledger.Length);
        Assert.Equal(good.Count, host.State.Scored);
        Assert.Equal(bad.Count, host.State.Quarantined);
    }

    [Fact]
    public async Task AFileWrittenSlowlyInChunksIsTakenOnlyWhenComplete()
    {
        // The service's clock is a fake that moves 0.25 s after the scanner has seen each chunk: 3 s while the file
        // grows, past the 2 s stable age, so only the "size and mtime unchanged" rule can hold it back, however long
        // a loaded machine really takes between chunks.
        var clock = new FakeTimeProvider();
        var files = new ObservedIntakeFileSystem(Path.Combine(temp.Path, "intake"));
        await using var host = EdgeTestHost.Create(temp.Path, s => s["Edge:StableAge"] = "00:00:02",
            services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IIntakeFileSystem>(files));
        await host.StartAsync();
        var bytes = SyntheticXrays.Png(11, 160, 200);
        var path = Path.Combine(host.Intake, "slow.png");
        // Each chunk is opened, appended and closed (a writer that takes no lock, like cp over a share).
        var chunk = bytes.Length / 12 + 1;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            var end = Math.Min(offset + chunk, bytes.Length);
            await using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
                await stream.WriteAsync(bytes.AsMemory(offset, end - offset));
            await host.WaitUntilAsync(() => files.SeenLength(path) == end, what: $"the scanner to see {end} bytes");
            clock.Advance(TimeSpan.FromSeconds(0.25));
            Assert.Empty(host.Files(host.Work));
            Assert.Empty(host.Inputs(host.Archive));
            Assert.Empty(host.Inputs(host.Quarantine));
        }
        Assert.True(clock.GetUtcNow() - clock.Start > TimeSpan.FromSeconds(2), "the writing must outlast the stable age");
        await host.AdvanceUntilAsync(() => clock.Advance(TimeSpan.FromSeconds(0.25)), () => host.Inputs(host.Archive).Length == 1, "slow file archived");
        Assert.Empty(host.Inputs(host.Quarantine));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(host.Archive, "slow.png")));
    }

    [Fact]
    public async Task AFileHeldOpenByALockingWriterIsNotTaken()
    {
        var clock = new FakeTimeProvider();
        var files = new ObservedIntakeFileSystem(Path.Combine(temp.Path, "intake"));
        await using var host = EdgeTestHost.Create(temp.Path, services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IIntakeFileSystem>(files));
        await host.StartAsync();
        var bytes = SyntheticXrays.Png(12);
        var path = Path.Combine(host.Intake, "held.png");
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            await writer.WriteAsync(bytes);
            await writer.FlushAsync();
            await host.WaitUntilAsync(() => files.SeenLength(path) == bytes.Length, what: "the scanner to see the whole file");
            // Past the stable age the file is stable: only the writer's lock holds it back. Found locked twice: the
            // step that found it locked the first time has ended without taking it.
            await host.AdvanceUntilAsync(() => clock.Advance(TimeSpan.FromSeconds(0.1)), () => files.FoundLocked(path) >= 2 || !File.Exists(path),
                "the scanner to find the stable file locked twice");
            Assert.True(File.Exists(path), "taken from the intake while its writer still held the lock");
            Assert.Empty(host.Files(host.Work));
            Assert.Empty(host.Inputs(host.Archive));
        }
        await host.AdvanceUntilAsync(() => clock.Advance(TimeSpan.FromSeconds(0.1)), () => host.Inputs(host.Archive).Length == 1,
            "held file archived after close");
    }

    [Fact]
    public async Task SameContentDroppedTwiceGetsOneReportAndBothFilesArchived()
    {
        await using var host = EdgeTestHost.Create(temp.Path);
        await host.StartAsync();
        var bytes = SyntheticXrays.Png(13);
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "first.png"), bytes);
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 1);
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "first.png"), bytes); // same name again
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "again.png"), bytes);
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 3 && host.State.Duplicates == 2);
        Assert.Equal(["again.png", "first-1.png", "first.png"], host.Inputs(host.Archive));
        Assert.Single(host.ReportJsons());
        Assert.Equal(2, host.State.Duplicates);
    }

    [Fact]
    public async Task NameCollisionsInArchiveAndQuarantineNeverOverwrite()
    {
        await using var host = EdgeTestHost.Create(temp.Path);
        await host.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(host.Intake, "same.png"), SyntheticXrays.Png(20 + i));
            await File.WriteAllBytesAsync(Path.Combine(host.Intake, "bad.png"), [(byte)i, 1, 2, 3]);
            await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == i + 1 && host.Inputs(host.Quarantine).Length == i + 1);
        }
        Assert.Equal(["same-1.png", "same-2.png", "same.png"], host.Inputs(host.Archive));
        Assert.Equal(["bad-1.png", "bad-2.png", "bad.png"], host.Inputs(host.Quarantine));
        Assert.Equal(3, host.Files(host.Quarantine).Count(n => n.EndsWith(".error.json", StringComparison.Ordinal)));
        for (var i = 0; i < 3; i++)
            Assert.Equal(SyntheticXrays.Png(20 + i), await File.ReadAllBytesAsync(Path.Combine(host.Archive, i == 0 ? "same.png" : $"same-{i}.png")));
        Assert.Equal(3, host.ReportJsons().Length);
    }
}

/// <summary>A model that fails on some images: the batch is split, the failing image quarantined, the rest reported.</summary>
public sealed class ScoringFailureTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task AnImageTheModelFailsOnIsQuarantinedAndItsBatchMatesAreStillReported()
    {
        // Dark films (mean input below the threshold) score; the bright one makes the fake model throw.
        var scorers = new FakeScorerFactory { Configure = s => s.FailAboveMean = 1.0f };
        await using var host = EdgeTestHost.Create(temp.Path, s => { s["Inference:BatchSize"] = "4"; s["Edge:StableAge"] = "00:00:00.500"; },
            scorers: scorers);
        await host.StartAsync();
        // Bright with a 230/255 checker pattern: not near-uniform, so it passes Edge:Suitability and reaches the model.
        var checker = Enumerable.Range(0, 64 * 64).Select(i => (byte)((i + i / 64) % 2 == 0 ? 255 : 230)).ToArray();
        using (var bright = SixLabors.ImageSharp.Image.LoadPixelData<SixLabors.ImageSharp.PixelFormats.L8>(checker, 64, 64))
            await SixLabors.ImageSharp.ImageExtensions.SaveAsPngAsync(bright, Path.Combine(host.Intake, "bright.png"));
        for (var i = 0; i < 3; i++) await File.WriteAllBytesAsync(Path.Combine(host.Intake, $"ok{i}.png"), SyntheticXrays.Png(40 + i));
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 3 && host.Inputs(host.Quarantine).Length == 1);
        Assert.Equal(["bright.png"], host.Inputs(host.Quarantine));
        var record = System.Text.Json.JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Combine(host.Quarantine, "bright.png.error.json")),
            EdgeJsonContext.Default.QuarantineRecord)!;
        Assert.Equal("ScoringFailed", record.Kind);
        Assert.Contains("fake model failure", record.Reason);
        Assert.Contains("fake model failure", host.State.LastFault); // kept for the health file even after later runs succeed
        Assert.Equal(3, host.ReportJsons().Length);
    }
}
