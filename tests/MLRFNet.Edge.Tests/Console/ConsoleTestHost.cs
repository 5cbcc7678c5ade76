using System.Net;
using System.Security.Cryptography;
using MLRFNet.Edge.ClinicConsole;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>
/// The real service (EdgeTestHost: every hosted service, fake scorer) with the console on a free loopback port, and an
/// HttpClient that neither follows redirects nor keeps cookies, so each test sees exactly what the server answered.
/// </summary>
internal sealed class ConsoleTestHost : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef";

    private ConsoleTestHost(EdgeTestHost edge, Uri baseAddress)
    {
        Edge = edge;
        BaseAddress = baseAddress;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseAddress };
    }

    public EdgeTestHost Edge { get; }
    public Uri BaseAddress { get; }
    public HttpClient Client { get; }

    public static async Task<ConsoleTestHost> StartAsync(string root, string? token = null, Action<Dictionary<string, string?>>? configure = null)
    {
        var edge = EdgeTestHost.Create(root, settings =>
        {
            settings["Console:Urls"] = "http://127.0.0.1:0";
            if (token is not null) settings["Console:AccessToken"] = token;
            configure?.Invoke(settings);
        });
        await edge.StartAsync();
        var addresses = edge.Host.Services.GetRequiredService<ConsoleServer>().Addresses;
        if (addresses.Count == 0) throw new InvalidOperationException("The console did not start: " + edge.Describe());
        return new ConsoleTestHost(edge, new Uri(addresses[0]));
    }

    /// <summary>A request with the token as a bearer header.</summary>
    public HttpRequestMessage Authorized(HttpMethod method, string path, string token = Token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path, string? token = null)
    {
        using var request = token is null ? new HttpRequestMessage(HttpMethod.Get, path) : Authorized(HttpMethod.Get, path, token);
        var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Edge.DisposeAsync();
    }
}

/// <summary>Reports written through the service's own ReportStore (the ledger and JSON as the pipeline writes them), with chosen times and findings.</summary>
internal static class ConsoleFixtures
{
    /// <summary>Commits a report for <paramref name="name"/>; <paramref name="scores"/> are (label, probability, threshold).</summary>
    public static StudyReport Commit(string reportsFolder, string name, DateTimeOffset created, (string Label, float P, float T)[] scores,
        ReportDicom? dicom = null, byte[]? png = null)
    {
        Directory.CreateDirectory(reportsFolder);
        var store = new ReportStore(Microsoft.Extensions.Options.Options.Create(new EdgeOptions { ReportsFolder = reportsFolder }),
            new MLRFNet.Edge.Storage.DurableFile(MLRFNet.Edge.Storage.FileSystemOps.Real));
        var sha = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name + created.ToUnixTimeMilliseconds())));
        var classes = scores.Select(s => new ClassScore(s.Label, s.P, s.T, s.P >= s.T)).ToList();
        var report = new StudyReport
        {
            ReportId = MLRFNet.Edge.Storage.UniqueNames.ReportBase(name, sha),
            CreatedUtc = created,
            Input = new ReportInput(name, sha, 1234, "Png", 96, 112, 8),
            Dicom = dicom,
            Model = new ReportModel("fake-mlrfnet", "test-1", "fake", "Fp32", new string('0', 64), "test3", "FakeCPU"),
            Timings = new ReportTimings(1.5, 12, 3, 250, 4, 40),
            Classes = classes,
            Findings = ReportBuilder.Findings(classes),
        };
        var image = Convert.ToBase64String(png ?? SyntheticXrays.Png(name.Length));
        store.Commit(report, $"<!DOCTYPE html><html><head><style>.xr{{background-image:url(data:image/png;base64,{image});}}</style></head><body><h1>Report {WebUtility.HtmlEncode(name)}</h1></body></html>");
        return report;
    }

    public static ReportDicom Dicom(string patientId) => new(patientId, "1.2.3", "1.2.3.4", "1.2.3.4.5", "DX", "CHEST", "PA", "MONOCHROME2", "1.2.840.10008.1.2.1");
}
