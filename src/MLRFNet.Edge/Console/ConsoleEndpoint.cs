using System.Net;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>One address of <see cref="ConsoleOptions.Urls"/>: scheme, where to bind, and whether it stays on this box.</summary>
internal sealed record ConsoleEndpoint(bool Https, IPAddress? Address, bool Localhost, int Port)
{
    /// <summary>Loopback only: 127.0.0.0/8, ::1 or <c>localhost</c>. Anything else (0.0.0.0, *, a LAN address) is reachable from the network.</summary>
    public bool IsLoopback => Localhost || (Address is not null && IPAddress.IsLoopback(Address));

    public static IReadOnlyList<ConsoleEndpoint> ParseList(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();

    /// <summary>
    /// <c>http(s)://host:port</c> with host an IP address, <c>localhost</c>, or <c>*</c>/<c>+</c>/<c>0.0.0.0</c> for every
    /// interface (Kestrel's forms). Host names other than localhost are refused: Kestrel cannot bind them.
    /// </summary>
    public static ConsoleEndpoint Parse(string url)
    {
        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? text[..schemeEnd].ToLowerInvariant() : "";
        if (scheme is not ("http" or "https"))
            throw new FormatException($"Console:Urls entry '{url}' must start with http:// or https:// (e.g. http://127.0.0.1:8080).");
        var rest = text[(schemeEnd + 3)..].TrimEnd('/');
        if (rest.Contains('/')) throw new FormatException($"Console:Urls entry '{url}' has a path; give scheme, host and port only (e.g. http://127.0.0.1:8080).");
        string host;
        string? portText;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0) throw new FormatException($"Console:Urls entry '{url}' has an unclosed IPv6 bracket.");
            host = rest[1..close];
            portText = rest[(close + 1)..] is { Length: > 1 } p && p[0] == ':' ? p[1..] : null;
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
            portText = colon >= 0 ? rest[(colon + 1)..] : null;
        }
        var port = scheme == "https" ? 443 : 80;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 0 or > 65535))
            throw new FormatException($"Console:Urls entry '{url}' has a bad port '{portText}'; use 1-65535 (0: any free port).");
        var https = scheme == "https";
        if (host is "*" or "+" or "") return new ConsoleEndpoint(https, IPAddress.IPv6Any, false, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new ConsoleEndpoint(https, null, true, port);
        if (IPAddress.TryParse(host, out var address)) return new ConsoleEndpoint(https, address, false, port);
        throw new FormatException($"Console:Urls entry '{url}': '{host}' is not an IP address; use the box's address, 0.0.0.0 (every interface) or 127.0.0.1 (this box only).");
    }

    public override string ToString() =>
        $"{(Https ? "https" : "http")}://{(Localhost ? "localhost" : Address!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address!.ToString())}:{Port}";
}
