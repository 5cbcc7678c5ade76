using System.Globalization;
using System.Numerics;

namespace MLRFNet.Edge.DicomOut;

/// <summary>
/// UIDs of the box's DICOM objects. New Series and SOP Instance UIDs are under the root <c>2.25</c> (PS3.5 B.2: a
/// UUID as one decimal integer, needing no registered organisation root); they are derived from the input's SHA-256
/// and the object kind, so the retry of a study's write reuses exactly the same UIDs (no second copy in the PACS).
/// </summary>
internal static class DicomUids
{
    /// <summary>Implementation Class UID (0002,0012) of files this service writes: 2.25 + a fixed random UUID.</summary>
    public const string ImplementationClassUid = "2.25.182716651183349427616431787541298633313";
    public const string ImplementationVersionName = "MLRFNET_EDGE1";

    public const string ComprehensiveSr = "1.2.840.10008.5.1.4.1.1.88.33";
    public const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";

    /// <summary>2.25.&lt;integer&gt; of a UUID (version 8, name-based) from the input hash and a purpose.</summary>
    public static string Derived(string inputSha256, string purpose)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"mlrfnet-edge:{purpose}:{inputSha256.ToLowerInvariant()}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }
}
