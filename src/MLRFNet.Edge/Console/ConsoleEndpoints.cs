using MLRFNet.Edge.Reports;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Scoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// The console's routes. Each handler parses the request, asks <see cref="StudyIndex"/>, <see cref="ReviewMarks"/>
/// or the service state, and writes a page or JSON: no rule lives here. Only review marks and the login write.
/// Plain RequestDelegate handlers (no parameter binding by reflection), so Native AOT needs no generator.
/// </summary>
internal sealed class ConsoleEndpoints(StudyIndex index, ReviewMarks reviews, ConsoleAccess access, ServiceState state, WorkQueue queue,
    IntakeScanner scanner, DiskWatermark disk, ModelHost model, EdgeOptions edge, ConsoleOptions console, TimeProvider time, ILogger logger)
{
    private readonly DateTimeOffset started = time.GetUtcNow();

    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Local;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", Worklist);
        app.MapGet("/worklist/rows", WorklistRows);
        app.MapGet("/studies/{id}", Study);
        app.MapGet("/studies/{id}/report", StoredReport);
        app.MapGet("/studies/{id}/thumbnail", Thumbnail);
        app.MapPost("/studies/{id}/review", Review);
        app.MapGet("/quarantine", Quarantine);
        app.MapGet("/health", HealthPage);
        app.MapGet("/api/studies", ApiStudies);
        app.MapGet("/api/studies/{id}", ApiStudy);
        app.MapGet("/api/health", ApiHealth);
        app.MapGet("/metrics", Metrics);
        app.MapGet("/login", LoginPage);
        app.MapPost("/login", Login);
        app.MapPost("/logout", Logout);
        app.MapGet("/assets/{name}", ConsoleAssets.Serve);
    }

    private Task Worklist(HttpContext context)
    {
        var query = StudyQuery.Parse(context.Request.Query, out var error);
        var (page, total) = query.Apply(index.Snapshot(), Zone);
        return WriteHtml(context, WorklistPage.Render(query, page, total, reviews.Latest(), Zone, console.PollSeconds, error));
    }

    /// <summary>The rows alone, for the page's polling; an ETag lets an unchanged worklist answer 304 with no body.</summary>
    private async Task WorklistRows(HttpContext context)
    {
        var query = StudyQuery.Parse(context.Request.Query, out _);
        var (page, total) = query.Apply(index.Snapshot(), Zone);
        var html = WorklistPage.Rows(page, reviews.Latest(), Zone);
        var etag = WorklistPage.RowsETag(html, total);
        context.Response.Headers.ETag = etag;
        context.Response.Headers["X-Total"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        await WriteHtml(context, html);
    }

    private Task Study(HttpContext context) => StudyPageAsync(context, null, null);

    private async Task StudyPageAsync(HttpContext context, string? error, string? reviewer)
    {
        if (FindRow(context) is not { } row) { await NotFound(context); return; }
        if (error is not null) context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await WriteHtml(context, StudyPage.Render(row, reviews.For(row.Id!), Zone, error, reviewer));
    }

    private async Task StoredReport(HttpContext context)
    {
        if (index.Find(Id(context)) is not { Html: { } html }) { await NotFound(context); return; }
        SecurityHeaders.ForStoredReport(context.Response);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.SendFileAsync(index.ReportPath(html));
    }

    private async Task Thumbnail(HttpContext context)
    {
        if (index.Find(Id(context)) is not { Html: { } html } || ReportThumbnail.Extract(index.ReportPath(html)) is not { } png)
        {
            await NotFound(context);
            return;
        }
        // A report is never overwritten: its thumbnail can be cached by this browser (private: it is a patient's image).
        context.Response.Headers.CacheControl = "private, max-age=86400, immutable";
        context.Response.ContentType = "image/png";
        await context.Response.Body.WriteAsync(png);
    }

    private async Task Review(HttpContext context)
    {
        if (FindRow(context) is not { } row) { await NotFound(context); return; }
        if (!context.Request.HasFormContentType)
        {
            await ConsoleAccess.Plain(context, StatusCodes.Status415UnsupportedMediaType, "Send the review as a form (application/x-www-form-urlencoded): reviewer=NAME&note=TEXT.");
            return;
        }
        var form = await context.Request.ReadFormAsync();
        string reviewer = form["reviewer"].ToString(), note = form["note"].ToString();
        if (ReviewMarks.Problem(reviewer, note) is { } problem) { await StudyPageAsync(context, problem, reviewer); return; }
        var mark = reviews.Add(row.Id!, reviewer, note);
        Log.ConsoleReviewed(logger, row.Id!, mark.Reviewer);
        context.Response.Redirect("/studies/" + Uri.EscapeDataString(row.Id!) + "#review", permanent: false);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private Task Quarantine(HttpContext context) =>
        WriteHtml(context, StatusPages.Quarantine(index.Snapshot().Where(r => r.Outcome == Outcomes.Quarantined).ToList(), Zone));

    private Task HealthPage(HttpContext context)
    {
        var (bytes, problem) = ReadHealth();
        using var document = bytes is null ? null : TryParse(bytes);
        var staleAfter = TimeSpan.FromTicks(Math.Max(edge.HealthInterval.Ticks * 3, TimeSpan.FromSeconds(30).Ticks));
        return WriteHtml(context, StatusPages.Health(document?.RootElement, problem ?? (document is null ? "health.json is not valid JSON" : null), time.GetUtcNow(), staleAfter, Zone));
    }

    private async Task ApiStudies(HttpContext context)
    {
        var query = StudyQuery.Parse(context.Request.Query, out var error);
        if (error is not null) { await WriteJson(context, StatusCodes.Status400BadRequest, new ApiError(error)); return; }
        var (page, total) = query.Apply(index.Snapshot(), Zone);
        var latest = reviews.Latest();
        var items = page.Select(r =>
        {
            var mark = r.Id is not null ? latest.GetValueOrDefault(r.Id) : null;
            return new StudyListItem(r.Id, r.Time, r.InputName, r.Outcome, r.PatientId, r.StudyDate, r.AccessionNumber, r.Flagged, r.TopMargin, r.Reason,
                mark?.Reviewer, mark?.MarkedUtc, r.Id is null ? null : "/studies/" + Uri.EscapeDataString(r.Id), r.Id is null ? null : "/api/studies/" + Uri.EscapeDataString(r.Id));
        }).ToList();
        await WriteJson(context, StatusCodes.Status200OK, new StudyListResponse(total, query.Offset, query.Limit, items));
    }

    /// <summary>The JSON report exactly as the service wrote it.</summary>
    private async Task ApiStudy(HttpContext context)
    {
        if (index.Find(Id(context)) is not { } files)
        {
            await WriteJson(context, StatusCodes.Status404NotFound, new ApiError("No such study: the ID must be a report name from /api/studies."));
            return;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.SendFileAsync(index.ReportPath(files.Json));
    }

    /// <summary>health.json as the service wrote it (the same bytes), so monitoring reads one format.</summary>
    private async Task ApiHealth(HttpContext context)
    {
        var (bytes, problem) = ReadHealth();
        if (bytes is null) { await WriteJson(context, StatusCodes.Status503ServiceUnavailable, new ApiError(problem!)); return; }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(bytes);
    }

    private Task Metrics(HttpContext context)
    {
        var text = MetricsWriter.Write(new MetricsSnapshot(state, queue.Depth, scanner.Pending, disk.FreeMegabytes(),
            model.LoadTime?.TotalSeconds, index.Snapshot(), started));
        context.Response.ContentType = MetricsWriter.ContentType;
        return context.Response.WriteAsync(text);
    }

    private Task LoginPage(HttpContext context) => WriteHtml(context, StatusPages.Login(null, SafeNext(context.Request.Query["next"].ToString())));

    private async Task Login(HttpContext context)
    {
        if (!access.TokenRequired) { context.Response.Redirect("/"); return; }
        if (!context.Request.HasFormContentType) { await ConsoleAccess.Plain(context, StatusCodes.Status415UnsupportedMediaType, "Sign in through the form."); return; }
        var form = await context.Request.ReadFormAsync();
        var next = SafeNext(form["next"].ToString());
        if (!access.TokenMatches(form["token"].ToString()))
        {
            Log.ConsoleTokenRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?", "/login");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await WriteHtml(context, StatusPages.Login("That is not the access token.", next));
            return;
        }
        access.SetSessionCookie(context);
        context.Response.Redirect(next);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private static Task Logout(HttpContext context)
    {
        ConsoleAccess.ClearSessionCookie(context);
        context.Response.Redirect("/login");
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        return Task.CompletedTask;
    }

    /// <summary>Only a path on this console (not <c>//host</c>, not a URL): no open redirect through the login page.</summary>
    private static string SafeNext(string next) =>
        next.StartsWith('/') && !next.StartsWith("//", StringComparison.Ordinal) && !next.StartsWith("/\\", StringComparison.Ordinal) ? next : "/";

    private StudyRow? FindRow(HttpContext context)
    {
        var id = Id(context);
        return index.Find(id) is null ? null : index.Snapshot().FirstOrDefault(r => r.Id == id);
    }

    private static string? Id(HttpContext context) => context.Request.RouteValues["id"] as string;

    private (byte[]? Bytes, string? Problem) ReadHealth()
    {
        var path = edge.ResolvedHealthFile;
        try { return (File.ReadAllBytes(path), null); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (null, $"{path} cannot be read ({e.Message}); is the service writing it?"); }
    }

    private static JsonDocument? TryParse(byte[] bytes)
    {
        try { return JsonDocument.Parse(bytes); }
        catch (JsonException) { return null; }
    }

    private static Task NotFound(HttpContext context) =>
        ConsoleAccess.IsMachinePath(context.Request.Path.Value ?? "")
            ? WriteJson(context, StatusCodes.Status404NotFound, new ApiError("Not found."))
            : WriteHtmlStatus(context, StatusCodes.Status404NotFound, Html.Page("Not found", "", "<h1>Not found</h1><p>No such study. <a href=\"/\">Back to the worklist</a>.</p>"));

    private static Task WriteHtml(HttpContext context, string html) => WriteHtmlStatus(context, context.Response.StatusCode, html);

    private static Task WriteHtmlStatus(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html);
    }

    private static Task WriteJson<T>(HttpContext context, int status, T value) where T : class
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)ConsoleJsonContext.Default.GetTypeInfo(typeof(T))!;
        return JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo);
    }
}
