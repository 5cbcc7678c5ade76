using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MLRFNet.Edge.ClinicConsole;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>The token, path traversal, security headers, cross-site forms, start-up refusal, TLS, and that a console failure never stops scoring.</summary>
public sealed class ConsoleSecurityTests : IDisposable
{
    private static readonly DateTimeOffset t0 = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Reports => Path.Combine(temp.Path, "reports");

    private string CommitOne() => ConsoleFixtures.Commit(Reports, "chest.png", t0, [("Effusion", 0.9f, 0.5f)]).ReportId;

    [Theory]
    [InlineData("/api/studies")]
    [InlineData("/api/health")]
    [InlineData("/metrics")]
    [InlineData("/api/studies/{id}")]
    public async Task MachineEndpointsNeedTheRightBearerToken(string template)
    {
        var id = CommitOne();
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        await host.Edge.WaitUntilAsync(() => File.Exists(host.Edge.HealthFile), what: "health.json");
        var path = template.Replace("{id}", id);

        var missing = await host.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("Bearer", missing.Response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(path, "wrong-token-0123456789abcdef")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync(path, ConsoleTestHost.Token[..^1])).Status); // a prefix is not the token
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(path, ConsoleTestHost.Token)).Status);

        // Neither the token nor a wrong one is ever written to the log.
        Assert.DoesNotContain(host.Edge.Logs.Entries, e => e.Message.Contains("0123456789abcdef", StringComparison.Ordinal));
        Assert.Contains(host.Edge.Logs.Entries, e => e.EventId == 603);
    }

    [Fact]
    public async Task ABrowserSignsInOnceAndTheCookieIsNotTheToken()
    {
        CommitOne();
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        var page = await host.GetAsync("/?flagged=1");
        Assert.Equal(HttpStatusCode.Found, page.Status);
        Assert.Equal("/login?next=%2F%3Fflagged%3D1", page.Response.Headers.Location!.OriginalString);

        var wrong = await host.Client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "nope", ["next"] = "/" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        var right = await host.Client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = ConsoleTestHost.Token, ["next"] = "//evil.example/" }));
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        Assert.Equal("/", right.Headers.Location!.OriginalString); // no open redirect to another site
        var cookie = right.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ConsoleTestHost.Token, cookie);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("chest.png", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/studies/..%2Freports%2Fledger.csv")]
    [InlineData("/api/studies/..%2F..%2Fsecret")]
    [InlineData("/api/studies/%2E%2E%2Fsecret")]
    [InlineData("/api/studies/%2Fetc%2Fpasswd")]
    [InlineData("/api/studies/..%5Csecret")]
    [InlineData("/api/studies/../../secret")]
    [InlineData("/api/studies/ledger")]
    [InlineData("/api/studies/.hidden")]
    [InlineData("/studies/..%2Fsecret/report")]
    [InlineData("/studies/%2Ftmp%2Fsecret/thumbnail")]
    [InlineData("/studies/secret%00/report")]
    public async Task TraversalAttemptsReachNoFile(string path)
    {
        CommitOne();
        // A file a traversal would aim at, beside the reports folder, and one inside it that is not in the ledger.
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "secret"), "TOP-SECRET");
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "secret.json"), "TOP-SECRET");
        await File.WriteAllTextAsync(Path.Combine(Reports, "ledger.json"), "TOP-SECRET");
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        var (status, body, _) = await host.GetAsync(path, ConsoleTestHost.Token);
        Assert.True(status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {status}");
        Assert.DoesNotContain("TOP-SECRET", body);
        Assert.DoesNotContain("root:", body);
        Assert.DoesNotContain("report_json", body);
    }

    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeadersAndTheReportItsOwnPolicy()
    {
        var id = CommitOne();
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);
        foreach (var path in new[] { "/", "/login", "/api/studies", "/studies/" + id, "/assets/console.js", "/nowhere" })
        {
            var (_, _, response) = await host.GetAsync(path, ConsoleTestHost.Token);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
        var (_, html, _) = await host.GetAsync("/studies/" + id, ConsoleTestHost.Token);
        Assert.DoesNotContain("<script>", html); // only <script src=...>, which the worklist alone uses
        var (status, report, reportResponse) = await host.GetAsync($"/studies/{id}/report", ConsoleTestHost.Token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Reports, id + ".html")), report); // served as written
        var reportCsp = reportResponse.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("sandbox", reportCsp);
        Assert.DoesNotContain("script-src", reportCsp); // default-src 'none' then forbids every script
        Assert.Contains("frame-ancestors 'self'", reportCsp);
    }

    [Fact]
    public async Task AReviewMarkGoesToItsOwnFileAndNeverIntoTheReport()
    {
        var id = CommitOne();
        var before = Directory.GetFiles(Reports).ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);

        using (var request = host.Authorized(HttpMethod.Post, $"/studies/{id}/review"))
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["reviewer"] = "Dr. A. Mwangi", ["note"] = "seen, \"agree\"" });
            request.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        }
        using (var crossSite = host.Authorized(HttpMethod.Post, $"/studies/{id}/review"))
        {
            crossSite.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["reviewer"] = "Mallory" });
            crossSite.Headers.Add("Origin", "http://evil.example");
            using var response = await host.Client.SendAsync(crossSite);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var lines = await File.ReadAllLinesAsync(Path.Combine(temp.Path, "reviews.csv"));
        Assert.Equal("marked_utc,report_id,reviewer,note", lines[0]);
        var fields = Reports_CsvSplit(lines[1]);
        Assert.Equal([id, "Dr. A. Mwangi", "seen, \"agree\""], fields.Skip(1));
        Assert.Equal(2, lines.Length); // the cross-site post wrote nothing
        Assert.Equal(before, Directory.GetFiles(Reports).ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

        var (_, page, _) = await host.GetAsync("/studies/" + id, ConsoleTestHost.Token);
        Assert.Contains("Dr. A. Mwangi", page);
        var (_, list, _) = await host.GetAsync("/api/studies", ConsoleTestHost.Token);
        Assert.Contains("\"reviewedBy\":\"Dr. A. Mwangi\"", list);
    }

    private static List<string> Reports_CsvSplit(string line) => Edge.Reports.CsvLedger.Split(line);

    [Fact]
    public async Task WithoutATokenOnlyThisBoxsOwnNameIsAnswered()
    {
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, token: null);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/api/studies")).Status);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/studies");
        rebound.Headers.Host = "evil.example"; // a DNS-rebinding page reaching 127.0.0.1 through the clinician's browser
        using var response = await host.Client.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", null, "Console:AccessToken is not set")]
    [InlineData("http://*:0", null, "Console:AccessToken is not set")]
    [InlineData("http://127.0.0.1:0", "short", "Console:AccessToken is too short")]
    [InlineData("https://127.0.0.1:0", null, "Console:CertificatePath is not set")]
    [InlineData("ftp://127.0.0.1:21", null, "must start with http:// or https://")]
    [InlineData("http://clinic-box:8080", ConsoleTestHost.Token, "is not an IP address")]
    public async Task UnsafeOrBrokenConsoleSettingsStopTheStartWithTheFix(string urls, string? token, string expected)
    {
        await using var edge = EdgeTestHost.Create(temp.Path, s =>
        {
            s["Console:Urls"] = urls;
            if (token is not null) s["Console:AccessToken"] = token;
        });
        Assert.Equal(EdgeHost.ExitCodes.StartFailed, await EdgeHost.RunAsync(edge.Host));
        var line = Assert.Single(edge.Logs.Entries, e => e.EventId == 101);
        Assert.Contains(expected, line.Message);
    }

    [Fact]
    public async Task APortInUseLeavesTheConsoleOffAndScoringRunning()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var edge = EdgeTestHost.Create(temp.Path, s => s["Console:Urls"] = $"http://127.0.0.1:{port}");
        await edge.StartAsync();
        Assert.Contains(edge.Logs.Entries, e => e.EventId == 601 && e.Level == LogLevel.Error);
        await File.WriteAllBytesAsync(Path.Combine(edge.Intake, "still-scored.png"), SyntheticXrays.Png(3));
        await edge.WaitUntilAsync(() => edge.State.Scored == 1, what: "the file scored without the console");
    }

    [Fact]
    public async Task OverTlsTheConsoleServesWithTheConfiguredCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=clinic-box", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(temp.Path, "console.crt");
        var keyPath = Path.Combine(temp.Path, "console.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        await using var edge = EdgeTestHost.Create(temp.Path, s =>
        {
            s["Console:Urls"] = "https://127.0.0.1:0";
            s["Console:AccessToken"] = ConsoleTestHost.Token;
            s["Console:CertificatePath"] = certPath;
            s["Console:CertificateKeyPath"] = keyPath;
        });
        await edge.StartAsync();
        var address = Assert.Single(edge.Host.Services.GetRequiredService<ConsoleServer>().Addresses);
        Assert.StartsWith("https://", address);

        string? served = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => { served = cert?.Thumbprint; return true; },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ConsoleTestHost.Token);
        using var response = await client.GetAsync("/api/studies");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(certificate.Thumbprint, served);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }
}
