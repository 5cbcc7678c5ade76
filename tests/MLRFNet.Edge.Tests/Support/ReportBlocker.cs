using System.Security.Cryptography;
using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// Fault injection for the report write of chosen studies only: a directory squats on the name the study's HTML
/// report would take, so the durable write (temp file, then a rename that never overwrites) fails with an
/// <see cref="IOException"/>, as on a failing disk. Works as root too, unlike file permissions.
/// </summary>
internal static class ReportBlocker
{
    /// <summary>Blocks the HTML report of <paramref name="inputName"/> with this content; returns the blocker to remove.</summary>
    public static string Block(string reportsFolder, string inputName, byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var blocker = Path.Combine(reportsFolder, UniqueNames.ReportBase(inputName, sha) + ".html");
        Directory.CreateDirectory(blocker);
        return blocker;
    }

    public static void Unblock(string blocker) => Directory.Delete(blocker);
}
