using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Imaging.Transforms;

namespace MLRFNet.Imaging.Datasets;

/// <summary>
/// A disk cache of decoded X-rays already resized so the shorter side is the spec's <c>ResizeSize</c> — the
/// expensive part of every epoch (a 1024² PNG decode + antialiased resize is ~15 ms; reading a cached 256² image
/// is ~0.1 ms). Entries are keyed by the SHA-256 of the file's content plus the resize size and filter, so a
/// renamed file hits and an edited file misses; an index maps (path, length, mtime) to that hash so warm epochs
/// do not re-hash the images.
/// </summary>
/// <remarks>
/// Layout: <c>DIR/r{size}-{filter}/{hash[0..2]}/{hash}.gray16</c>: int32 width, int32 height, then width × height
/// uint16 values = round(pixel × 256) (the 0..255 gray range at 1/256 resolution, 2 bytes a pixel: 131 KB for
/// 256², 14.7 GB for all 112,120 ChestX-ray14 images). Feeding a cached image to <see cref="EvalTransform"/> or
/// <see cref="TrainTransform"/> gives the same tensor as the original (the resize to the size it already has is an
/// identity), up to the 1/512 gray-level rounding. Writes go to a temporary name and are renamed, so a killed run
/// never leaves a torn entry.
/// </remarks>
public sealed class PreprocessedCache
{
    private const string IndexFile = "index.tsv";
    private readonly string folder;
    private readonly int resizeSize;
    private readonly DecodeLimits limits;
    private readonly ConcurrentDictionary<string, string> hashByFileKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> newIndexLines = new();

    public PreprocessedCache(string root, PreprocessingSpec spec, DecodeLimits? limits = null)
    {
        spec.Validate();
        resizeSize = spec.ResizeSize;
        this.limits = limits ?? DecodeLimits.Default;
        folder = Path.Combine(root, $"r{spec.ResizeSize}-{spec.ResizeFilter.ToLowerInvariant()}");
        Directory.CreateDirectory(folder);
        LoadIndex();
    }

    public string Folder => folder;

    /// <summary>Entries served from disk / built by decoding since this instance was made.</summary>
    public int Hits => hits;

    public int Misses => misses;

    private int hits;
    private int misses;

    /// <summary>Raised with the image's path on every <see cref="Get"/>, before anything is read (diagnostics seam).</summary>
    public event Action<string>? ImageRead;

    /// <summary>Entries in the in-memory (path, length, mtime) → content-hash index.</summary>
    public int IndexCount => hashByFileKey.Count;

    /// <summary>The image at <paramref name="path"/>, resized for the spec; decodes and stores it on a miss.</summary>
    /// <exception cref="XrayDecodeException">The file cannot be decoded (the caller lists and skips it).</exception>
    public XrayImage Get(string path) => Get(path, scratch: false);

    /// <summary>
    /// As <see cref="Get(string)"/>, but a cache hit's pixels live in a buffer of the calling thread that the
    /// thread's next call reuses: for a caller that turns the image into a tensor at once (the batch loader), so a
    /// warm epoch allocates no 256 KB array per image.
    /// </summary>
    internal XrayImage GetScratch(string path) => Get(path, scratch: true);

    [ThreadStatic] private static float[]? scratchPixels;

    private XrayImage Get(string path, bool scratch)
    {
        ImageRead?.Invoke(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"Image not found: {path}", path);
        var fileKey = FileKey(info);
        if (hashByFileKey.TryGetValue(fileKey, out var knownHash) && TryRead(EntryPath(knownHash), scratch) is { } cached)
        {
            Interlocked.Increment(ref hits);
            return cached;
        }

        var bytes = File.ReadAllBytes(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (hashByFileKey.TryAdd(fileKey, hash)) newIndexLines.Enqueue(fileKey + "\t" + hash);
        var entry = EntryPath(hash);
        if (TryRead(entry, scratch) is { } byContent)
        {
            Interlocked.Increment(ref hits);
            return byContent;
        }

        Interlocked.Increment(ref misses);
        var image = XrayDecoder.Decode(bytes, limits);
        var (width, height) = Resize.ShorterSideTo(image.Width, image.Height, resizeSize);
        var resized = Resize.Bilinear(image.Pixels, image.Width, image.Height, width, height);
        Write(entry, width, height, resized);
        return Quantized(width, height, resized, image);
    }

    /// <summary>Appends index lines learnt since the last flush (call at the end of an epoch).</summary>
    public void FlushIndex()
    {
        if (newIndexLines.IsEmpty) return;
        var lines = new List<string>();
        while (newIndexLines.TryDequeue(out var line)) lines.Add(line);
        File.AppendAllLines(Path.Combine(folder, IndexFile), lines);
    }

    private static string FileKey(FileInfo info) =>
        string.Create(CultureInfo.InvariantCulture, $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");

    private string EntryPath(string hash) => Path.Combine(folder, hash[..2], hash + ".gray16");

    private void LoadIndex()
    {
        var index = Path.Combine(folder, IndexFile);
        if (!File.Exists(index)) return;
        foreach (var line in File.ReadLines(index))
        {
            var tab = line.LastIndexOf('\t');
            if (tab > 0 && line.Length - tab - 1 == 64) hashByFileKey[line[..tab]] = line[(tab + 1)..];
        }
    }

    private static XrayImage Quantized(int width, int height, float[] pixels, XrayImage source)
    {
        // Round exactly as the stored entry will be read back, so a miss and a later hit give the same tensor.
        for (var i = 0; i < pixels.Length; i++) pixels[i] = Quantize(pixels[i]) / 256f;
        return new XrayImage(width, height, pixels, source.SourceBitDepth, source.Format, source.Dicom);
    }

    private static ushort Quantize(float v) => (ushort)Math.Clamp(MathF.Round(v * 256f), 0f, 65535f);

    private static void Write(string path, int width, int height, float[] pixels)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var buffer = new byte[8 + pixels.Length * 2];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, width);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(4), height);
        for (var i = 0; i < pixels.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(8 + 2 * i), Quantize(pixels[i]));
        var tmp = path + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp";
        File.WriteAllBytes(tmp, buffer);
        File.Move(tmp, path, overwrite: true);
    }

    private static XrayImage? TryRead(string path, bool scratch)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try { handle = File.OpenHandle(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            if (length < 8 || length > int.MaxValue) return null;
            var buffer = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                var bytes = buffer.AsSpan(0, (int)length);
                for (var read = 0; read < bytes.Length;)
                {
                    var n = RandomAccess.Read(handle, bytes[read..], read);
                    if (n == 0) return null; // shrank while reading: rebuild
                    read += n;
                }
                var width = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                var height = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
                if (width <= 0 || height <= 0 || length != 8 + (long)width * height * 2) return null; // torn or foreign: rebuild
                var count = width * height;
                float[] pixels;
                if (!scratch) pixels = new float[count];
                else if (scratchPixels is { } s && s.Length == count) pixels = s;
                else scratchPixels = pixels = new float[count];
                Widen(bytes.Slice(8, count * 2), pixels);
                return new XrayImage(width, height, pixels, 8, XrayFormat.Png);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Little-endian uint16 values / 256 into floats, vectorised (exact: 1/256 is a power of two).</summary>
    private static void Widen(ReadOnlySpan<byte> bytes, Span<float> pixels)
    {
        var i = 0;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated)
        {
            var values = MemoryMarshal.Cast<byte, ushort>(bytes);
            var scale = new Vector<float>(1f / 256f);
            var step = Vector<ushort>.Count;
            for (; i <= values.Length - step; i += step)
            {
                Vector.Widen(new Vector<ushort>(values[i..]), out var low, out var high);
                (Vector.ConvertToSingle(low) * scale).CopyTo(pixels[i..]);
                (Vector.ConvertToSingle(high) * scale).CopyTo(pixels[(i + step / 2)..]);
            }
        }
        for (; i < pixels.Length; i++) pixels[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) / 256f;
    }

    /// <summary>
    /// Decodes every image of <paramref name="dataset"/> into the cache (a no-op for entries already there) and
    /// returns the dataset without the images that cannot be read, plus "name: reason" for each of those, so an
    /// unreadable file is reported before training starts instead of being met (or not) in some batch.
    /// </summary>
    public (XrayDataset Usable, IReadOnlyList<string> Unreadable) Warm(XrayDataset dataset, int workers)
    {
        var failures = new string?[dataset.Count];
        Parallel.For(0, dataset.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, i =>
        {
            var item = dataset.Items[i];
            try { Get(item.ImagePath); }
            catch (Exception e) when (e is XrayDecodeException or IOException or UnauthorizedAccessException)
            {
                failures[i] = $"{item.ImageIndex}: {e.Message}";
            }
        });
        FlushIndex();
        var usable = dataset.Items.Where((_, i) => failures[i] is null).ToArray();
        return (usable.Length == dataset.Count ? dataset : dataset.Subset(usable), failures.OfType<string>().ToArray());
    }
}
