using System.Net;
using System.Text.Json;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>GET /api/studies and /api/studies/{id} over reports written by the service's own ReportStore, and over the real pipeline.</summary>
public sealed class ConsoleApiTests : IDisposable
{
    private static readonly DateTimeOffset t0 = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Reports => Path.Combine(temp.Path, "reports");

    private static (string Label, float P, float T)[] Scores(float effusion) =>
        [("Effusion", effusion, 0.5f), ("Cardiomegaly", 0.2f, 0.6f), ("Nodule", 0.1f, 0.999f)];

    private static async Task<JsonElement> Json(ConsoleTestHost host, string path)
    {
        var (status, body, _) = await host.GetAsync(path, ConsoleTestHost.Token);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Names(JsonElement page) => page.GetProperty("studies").EnumerateArray().Select(s => s.GetProperty("inputName").GetString()!).ToList();

    [Fact]
    public async Task StudiesArePagedNewestFirstWithoutGapsOrRepeats()
    {
        // Written in a shuffled order: the API must order by report time, not by ledger position.
        foreach (var i in new[] { 3, 0, 6, 1, 5, 2, 4 })
            ConsoleFixtures.Commit(Reports, $"study{i}.png", t0.AddMinutes(i), Scores(0.1f));
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);

        var pages = new List<List<string>>();
        for (var offset = 0; offset < 9; offset += 3)
        {
            var page = await Json(host, $"/api/studies?limit=3&offset={offset}");
            Assert.Equal(7, page.GetProperty("total").GetInt32());
            Assert.Equal(3, page.GetProperty("limit").GetInt32());
            pages.Add(Names(page));
        }
        Assert.Equal(["study6.png", "study5.png", "study4.png"], pages[0]);
        Assert.Equal(["study3.png", "study2.png", "study1.png"], pages[1]);
        Assert.Equal(["study0.png"], pages[2]);
    }

    [Fact]
    public async Task FlaggedSinceDateAndTextFiltersSelectTheRightStudies()
    {
        ConsoleFixtures.Commit(Reports, "a-flagged.png", t0, Scores(0.9f), ConsoleFixtures.Dicom("PAT-001"));
        ConsoleFixtures.Commit(Reports, "b-clear.png", t0.AddDays(1), Scores(0.1f), ConsoleFixtures.Dicom("PAT-002"));
        ConsoleFixtures.Commit(Reports, "c-flagged.png", t0.AddDays(2), Scores(0.7f));
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token, s => s["Console:PollSeconds"] = "5");

        Assert.Equal(["c-flagged.png", "a-flagged.png"], Names(await Json(host, "/api/studies?flagged=true")));
        Assert.Equal(["c-flagged.png", "b-clear.png"], Names(await Json(host, "/api/studies?since=" + Uri.EscapeDataString(t0.AddHours(1).ToString("O")))));
        // from/to are days in the box's time zone: pick a window that holds exactly the middle report whatever the zone.
        var middleDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t0.AddDays(1), TimeZoneInfo.Local).DateTime).ToString("yyyy-MM-dd");
        Assert.Equal(["b-clear.png"], Names(await Json(host, $"/api/studies?from={middleDay}&to={middleDay}")));
        Assert.Equal(["a-flagged.png"], Names(await Json(host, "/api/studies?q=pat-001")));
        Assert.Equal(["c-flagged.png", "a-flagged.png"], Names(await Json(host, "/api/studies?q=effusion")));

        var flagged = (await Json(host, "/api/studies?q=PAT-001")).GetProperty("studies")[0];
        Assert.Equal("PAT-001", flagged.GetProperty("patientId").GetString());
        var finding = Assert.Single(flagged.GetProperty("flagged").EnumerateArray());
        Assert.Equal("Effusion", finding.GetProperty("label").GetString());
        Assert.Equal(0.9, finding.GetProperty("probability").GetDouble(), 5);
        Assert.Equal(0.4, flagged.GetProperty("topMargin").GetDouble(), 5);
    }

    [Fact]
    public async Task TriageOrderPutsFlaggedFirstByHowFarAboveThreshold()
    {
        // Margins above the 0.5 threshold: b 0.05, c 0.45, d 0.25; a and e are not flagged (e is newest).
        ConsoleFixtures.Commit(Reports, "a.png", t0, Scores(0.1f));
        ConsoleFixtures.Commit(Reports, "b.png", t0.AddMinutes(1), Scores(0.55f));
        ConsoleFixtures.Commit(Reports, "c.png", t0.AddMinutes(2), Scores(0.95f));
        ConsoleFixtures.Commit(Reports, "d.png", t0.AddMinutes(3), Scores(0.75f));
        ConsoleFixtures.Commit(Reports, "e.png", t0.AddMinutes(4), Scores(0.2f));
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);

        Assert.Equal(["c.png", "d.png", "b.png", "e.png", "a.png"], Names(await Json(host, "/api/studies?sort=triage")));
        Assert.Equal(["e.png", "d.png", "c.png", "b.png", "a.png"], Names(await Json(host, "/api/studies")));
        // The worklist page shows the same order in its rows.
        var (_, html, _) = await host.GetAsync("/?sort=triage", ConsoleTestHost.Token);
        var positions = new[] { "c.png", "d.png", "b.png", "e.png", "a.png" }.Select(n => html.IndexOf(">" + n + "<", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("since=yesterday", "since")]
    [InlineData("flagged=maybe", "flagged")]
    [InlineData("from=10/03/2026", "from")]
    public async Task AMalformedParameterIsA400ThatNamesIt(string query, string parameter)
    {
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        var (status, body, _) = await host.GetAsync("/api/studies?" + query, ConsoleTestHost.Token);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(parameter, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AStudyIsItsJsonReportByteForByte()
    {
        var report = ConsoleFixtures.Commit(Reports, "chest.png", t0, Scores(0.9f));
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        var list = await Json(host, "/api/studies");
        var id = list.GetProperty("studies")[0].GetProperty("id").GetString()!;
        Assert.Equal(report.ReportId, id);

        using var request = host.Authorized(HttpMethod.Get, "/api/studies/" + id);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Reports, id + ".json")), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/api/studies/not-a-study.abc", ConsoleTestHost.Token)).Status);
    }

    [Fact]
    public async Task AFileDroppedIntoTheIntakeAppearsWithItsThumbnailAndAQuarantinedOneWithItsReason()
    {
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        Assert.Equal(0, (await Json(host, "/api/studies")).GetProperty("total").GetInt32());
        await File.WriteAllBytesAsync(Path.Combine(host.Edge.Intake, "dropped.png"), SyntheticXrays.Png(11, 256, 256));
        await File.WriteAllBytesAsync(Path.Combine(host.Edge.Intake, "empty.png"), []);
        await host.Edge.WaitUntilAsync(() => host.Edge.State.Scored == 1 && host.Edge.State.Quarantined == 1, what: "one scored, one quarantined");

        var studies = (await Json(host, "/api/studies")).GetProperty("studies").EnumerateArray().ToDictionary(s => s.GetProperty("inputName").GetString()!);
        Assert.Equal(["dropped.png", "empty.png"], studies.Keys.Order());
        Assert.Equal("scored", studies["dropped.png"].GetProperty("outcome").GetString());
        Assert.Equal("quarantined", studies["empty.png"].GetProperty("outcome").GetString());
        Assert.Contains("Empty", studies["empty.png"].GetProperty("reason").GetString());
        Assert.False(studies["empty.png"].TryGetProperty("id", out _)); // no report, so no study page

        // The thumbnail is the display X-ray the report embeds: a PNG that ImageSharp decodes.
        var id = studies["dropped.png"].GetProperty("id").GetString()!;
        using var request = host.Authorized(HttpMethod.Get, $"/studies/{id}/thumbnail");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var image = SixLabors.ImageSharp.Image.Load(await response.Content.ReadAsByteArrayAsync());
        Assert.True(image.Width > 0 && image.Height > 0);
        var (_, quarantinePage, _) = await host.GetAsync("/quarantine", ConsoleTestHost.Token);
        Assert.Contains("empty.png", quarantinePage);
        Assert.Contains(MLRFNet.Edge.Storage.Quarantine.WhatToDo("Empty"), System.Net.WebUtility.HtmlDecode(quarantinePage));
    }

    [Fact]
    public async Task HealthApiServesTheHealthFileAndThePageShowsItsStatus()
    {
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token, s => s["Edge:HealthInterval"] = "00:10:00");
        await host.Edge.WaitUntilAsync(() => File.Exists(host.Edge.HealthFile), what: "health.json");
        var (status, body, _) = await host.GetAsync("/api/health", ConsoleTestHost.Token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(await File.ReadAllTextAsync(host.Edge.HealthFile), body);
        var fileStatus = JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!;
        var (_, page, _) = await host.GetAsync("/health", ConsoleTestHost.Token);
        Assert.Contains($"id=\"health-status\" class=\"badge status-{fileStatus}\">{fileStatus}<", page);
        Assert.Contains("data-field=\"freeDiskMegabytes.reports\"", page); // nested fields are shown too
    }

    [Fact]
    public async Task TheWorklistPageCarriesItsRowsETagSoAnUnchangedWorklistIsNotRerendered()
    {
        // Catches: a page served without the validator of the rows it shows; its first poll then got the same rows
        // again (200) and the script rebuilt the table, detaching the row a clinician was about to click (seen as a
        // stale element in the browser test on a loaded machine).
        ConsoleFixtures.Commit(Reports, "a.png", t0, Scores(0.9f));
        ConsoleFixtures.Commit(Reports, "b.png", t0.AddMinutes(1), Scores(0.1f));
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);

        var (status, page, _) = await host.GetAsync("/", ConsoleTestHost.Token);
        Assert.Equal(HttpStatusCode.OK, status);
        var match = System.Text.RegularExpressions.Regex.Match(page, "<table id=\"worklist\"[^>]* data-etag=\"([^\"]+)\"");
        Assert.True(match.Success, "the worklist table has no data-etag attribute");
        var etag = WebUtility.HtmlDecode(match.Groups[1].Value);

        using var unchanged = host.Authorized(HttpMethod.Get, "/worklist/rows");
        unchanged.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using (var response = await host.Client.SendAsync(unchanged))
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);

        // A new study changes the rows: the same validator must now get the new rows.
        ConsoleFixtures.Commit(Reports, "c.png", t0.AddMinutes(2), Scores(0.1f));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var changed = host.Authorized(HttpMethod.Get, "/worklist/rows");
            changed.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var response = await host.Client.SendAsync(changed);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Contains("c.png", await response.Content.ReadAsStringAsync());
                break;
            }
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, "the rows never changed after a new report was committed");
            await Task.Delay(50);
        }
    }
}
