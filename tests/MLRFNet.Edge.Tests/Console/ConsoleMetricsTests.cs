using System.Net;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>/metrics parsed by an independent Prometheus text-format parser, after real files went through the pipeline.</summary>
public sealed class ConsoleMetricsTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task MetricsParseAndCountWhatThePipelineDid()
    {
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        for (var i = 0; i < 3; i++) await File.WriteAllBytesAsync(Path.Combine(host.Edge.Intake, $"x{i}.png"), SyntheticXrays.Png(20 + i));
        await File.WriteAllBytesAsync(Path.Combine(host.Edge.Intake, "junk.png"), "not an image"u8.ToArray());
        await host.Edge.WaitUntilAsync(() => host.Edge.State.Scored == 3 && host.Edge.State.Quarantined == 1, what: "3 scored, 1 quarantined");

        var (status, body, response) = await host.GetAsync("/metrics", ConsoleTestHost.Token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var (samples, types) = PrometheusText.Parse(body);
        double Value(string name, params (string, string)[] labels) =>
            Assert.Single(samples, s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Item1, out var v) && v == l.Item2)).Value;

        Assert.Equal("counter", types["mlrfnet_studies_total"]);
        Assert.Equal(3, Value("mlrfnet_studies_total", ("outcome", "scored")));
        Assert.Equal(1, Value("mlrfnet_studies_total", ("outcome", "quarantined")));
        Assert.Equal(host.Edge.State.Flagged, Value("mlrfnet_studies_flagged_total"));
        Assert.Equal(3, Value("mlrfnet_worklist_studies", ("outcome", "scored")));
        Assert.Equal(1, Value("mlrfnet_worklist_studies", ("outcome", "quarantined")));
        Assert.Equal(0, Value("mlrfnet_queue_depth"));
        Assert.Equal(1, Value("mlrfnet_ready"));
        Assert.True(Value("mlrfnet_model_load_seconds") >= 0);
        Assert.Equal(100L << 30, Value("mlrfnet_disk_free_bytes", ("folder", "reports"))); // FakeDiskSpace: 100 GiB
        Assert.Equal("histogram", types["mlrfnet_stage_duration_seconds"]);
        foreach (var stage in new[] { "hash", "decode", "preprocess", "inference", "report" })
            Assert.Equal(3, Value("mlrfnet_stage_duration_seconds_count", ("stage", stage)));

        // The histogram's sum is the reports' own timings (ms -> s), read back independently from the JSON files.
        var inferenceSeconds = host.Edge.ReportJsons()
            .Select(n => System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(host.Edge.Reports, n))).RootElement.GetProperty("timings").GetProperty("inferenceMs").GetDouble() / 1000)
            .Sum();
        Assert.Equal(inferenceSeconds, Value("mlrfnet_stage_duration_seconds_sum", ("stage", "inference")), 9);
    }

    [Fact]
    public void TheParserRejectsWhatPrometheusWouldReject()
    {
        // The parser must be able to fail, or the test above proves nothing.
        Assert.Throws<FormatException>(() => PrometheusText.Parse("x 1\n")); // no TYPE
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x gauge\nx{a=\"b} 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE 1x gauge\n1x 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"));
        var (samples, _) = PrometheusText.Parse("# TYPE x gauge\nx{a=\"q\\\"\\\\\\n\"} 2.5\n");
        Assert.Equal("q\"\\\n", samples.Single().Labels["a"]);
    }
}
