using System.Text;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// File names as the kernel has them (bytes) inside .NET strings. Linux allows any bytes but '/' and NUL in a name;
/// .NET's own directory enumeration decodes names as UTF-8 and replaces invalid bytes with U+FFFD, so such a name
/// cannot be opened or moved again (measured: File.Exists is false for the enumerated path). Here an invalid byte b
/// becomes the lone surrogate U+DC00+b (Python's "surrogateescape"), which round-trips exactly to the original bytes
/// at the P/Invoke boundary (<see cref="ToBytes"/>). Such strings must only reach the file system through
/// <see cref="FileSystemOps"/>; people see <see cref="Display"/>.
/// </summary>
internal static class RawNames
{
    /// <summary>The longest file name (one path component) Linux file systems accept, in bytes (NAME_MAX).</summary>
    public const int NameMax = 255;

    private static readonly UTF8Encoding strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Bytes to string: valid UTF-8 sequences decode normally, every other byte becomes U+DC00+byte.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var length = SequenceLength(bytes[i]);
            if (length > 0 && i + length <= bytes.Length && TryDecode(bytes.Slice(i, length), text))
            {
                i += length;
                continue;
            }
            text.Append((char)(0xDC00 + bytes[i]));
            i++;
        }
        return text.ToString();
    }

    /// <summary>String to the exact bytes it stands for (the inverse of <see cref="FromBytes"/>), NUL-terminated.</summary>
    public static byte[] ToBytes(string value, bool nulTerminated = true)
    {
        var bytes = new List<byte>(value.Length + 1);
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= '\uDC80' and <= '\uDCFF' && !(i > 0 && char.IsHighSurrogate(value[i - 1])))
            {
                bytes.Add((byte)(c - 0xDC00));
                continue;
            }
            var count = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), buffer)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), buffer);
            for (var k = 0; k < count; k++) bytes.Add(buffer[k]);
        }
        if (nulTerminated) bytes.Add(0);
        return bytes.ToArray();
    }

    /// <summary>How many bytes the name takes on disk.</summary>
    public static int ByteLength(string name) => ToBytes(name, nulTerminated: false).Length;

    /// <summary>True when the name holds bytes that are not UTF-8.</summary>
    public static bool HasRawBytes(string name) => name.Any(c => c is >= '\uDC80' and <= '\uDCFF');

    /// <summary>For people, logs, JSON and CSV: each byte that is not UTF-8 is shown as <c>\xNN</c>.</summary>
    public static string Display(string name)
    {
        if (!HasRawBytes(name)) return name;
        var text = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (c is >= '\uDC80' and <= '\uDCFF') text.Append("\\x").Append(((int)c - 0xDC00).ToString("x2"));
            else text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>The inverse of <see cref="Display"/>: <c>\xNN</c> (NN from 80 to ff) back to the raw byte.</summary>
    public static string FromDisplay(string display)
    {
        if (!display.Contains("\\x", StringComparison.Ordinal)) return display;
        var text = new StringBuilder(display.Length);
        for (var i = 0; i < display.Length; i++)
        {
            if (display[i] == '\\' && i + 3 < display.Length && display[i + 1] == 'x'
                && byte.TryParse(display.AsSpan(i + 2, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b) && b >= 0x80)
            {
                text.Append((char)(0xDC00 + b));
                i += 3;
            }
            else text.Append(display[i]);
        }
        return text.ToString();
    }

    /// <summary>
    /// The longest prefix of <paramref name="value"/> that takes at most <paramref name="maxBytes"/> bytes on disk,
    /// cut at a character boundary.
    /// </summary>
    public static string TrimToBytes(string value, int maxBytes)
    {
        var used = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var pair = char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            var size = ByteLength(value.Substring(i, pair ? 2 : 1));
            if (used + size > maxBytes) return value[..i];
            used += size;
            if (pair) i++;
        }
        return value;
    }

    private static int SequenceLength(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    private static bool TryDecode(ReadOnlySpan<byte> sequence, StringBuilder text)
    {
        try
        {
            text.Append(strict.GetString(sequence));
            return true;
        }
        catch (DecoderFallbackException) { return false; }
    }
}
