using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging.Datasets;
using Xunit.Abstractions;

namespace MLRFNet.Imaging.Tests.Datasets;

/// <summary>
/// Issue 17: the cache stays bounded in memory at ChestX-ray14's size. It keeps no decoded image in memory (every hit
/// is read from disk, where the OS page cache is the kernel's to bound); what it holds is the (path, length, mtime) →
/// content-hash index, one entry per image.
/// </summary>
public sealed class CacheMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int ChestXray14Images = 112_120;
    private readonly DatasetTestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_112120_entry_index_loads_whole_and_costs_a_bounded_few_hundred_bytes_per_image()
    {
        var spec = new PreprocessingSpec();
        var folder = Path.Combine(files.Root, "cache", $"r{spec.ResizeSize}-{spec.ResizeFilter.ToLowerInvariant()}");
        Directory.CreateDirectory(folder);
        var random = new Random(1);
        using (var writer = new StreamWriter(Path.Combine(folder, "index.tsv")))
        {
            for (var i = 0; i < ChestXray14Images; i++)
            {
                // The real key's shape: full path under one of NIH's 12 folders | length | mtime ticks, then a SHA-256.
                var hash = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + new string('a', 48);
                writer.Write($"/data/ChestX-ray14/images_{1 + i / 10_000:D3}/images/{i / 3:D8}_{i % 3:D3}.png|{300_000 + i}|{638_000_000_000_000_000L + i}\t{hash}\n");
            }
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cache = new PreprocessedCache(Path.Combine(files.Root, "cache"), spec);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(ChestXray14Images, cache.IndexCount);
        var perEntry = (after - before) / (double)ChestXray14Images;
        output.WriteLine($"index of {ChestXray14Images} entries: {(after - before) / 1e6:F1} MB managed, {perEntry:F0} B per entry");
        // Two strings (a ~75-char key, a 64-char hash) and a dictionary node: ~400 B. 1 KB per entry (112 MB) would
        // mean something per image is kept that should not be (pixels, a duplicate copy of the table).
        Assert.InRange(perEntry, 100, 1024);
        GC.KeepAlive(cache);
    }

    [Fact]
    public void Reading_images_through_the_cache_keeps_none_of_them_in_memory()
    {
        var spec = new PreprocessingSpec();
        var cache = new PreprocessedCache(Path.Combine(files.Root, "cache"), spec);
        MLRFNet.Imaging.Synthetic.PhantomDataset.Write(Path.Combine(files.Root, "img"), 120, seed: 3, size: 300);
        var images = Enumerable.Range(0, 120).Select(i => Path.Combine(files.Root, "img", "images", MLRFNet.Imaging.Synthetic.PhantomDataset.FileName(i))).ToArray();
        foreach (var path in images) cache.Get(path); // fill the disk cache

        long Retained(int count)
        {
            for (var i = 0; i < count; i++) _ = cache.GetScratch(images[i]).Width;
            return GC.GetTotalMemory(forceFullCollection: true);
        }

        var few = Retained(10);
        var all = Retained(images.Length);
        output.WriteLine($"after 10 reads {few / 1e6:F2} MB, after {images.Length} reads {all / 1e6:F2} MB");
        // 110 more 256x256 images would be 110 x 256 KB = 29 MB if any were kept; allow 2 MB of noise.
        Assert.InRange(all - few, long.MinValue, 2_000_000);
        Assert.Equal(10 + images.Length, cache.Hits); // every read was a hit, from disk
    }
}
