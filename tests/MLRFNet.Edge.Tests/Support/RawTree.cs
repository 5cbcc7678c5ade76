using System.Diagnostics;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// Temporary folders that may hold names which are not UTF-8: .NET's Directory.Delete cannot remove those (it sees
/// them with U+FFFD), so the folder goes with rm -rf.
/// </summary>
internal static class RawTree
{
    public static void Delete(string path)
    {
        using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", "--", path]) { UseShellExecute = false })!;
        rm.WaitForExit();
    }
}
