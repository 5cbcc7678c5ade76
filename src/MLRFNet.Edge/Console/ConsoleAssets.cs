using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// The console's style sheet and script, compiled into the binary (embedded resources from Console/Assets): nothing
/// to install beside it and nothing fetched from the network. Only these two names are served.
/// </summary>
internal static class ConsoleAssets
{
    private static readonly Dictionary<string, (string ContentType, byte[] Bytes)> assets = new(StringComparer.Ordinal)
    {
        ["console.css"] = ("text/css; charset=utf-8", Load("console.css")),
        ["console.js"] = ("text/javascript; charset=utf-8", Load("console.js")),
    };

    public static Task Serve(HttpContext context)
    {
        if (context.Request.RouteValues["name"] is not string name || !assets.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        context.Response.ContentType = asset.ContentType;
        context.Response.Headers.CacheControl = "no-cache"; // revalidate: a new binary may bring a new script
        return context.Response.Body.WriteAsync(asset.Bytes).AsTask();
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream("MLRFNet.Edge.ClinicConsole.Assets." + name)
                           ?? throw new InvalidOperationException($"The console asset {name} is not embedded in the binary; rebuild it.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
