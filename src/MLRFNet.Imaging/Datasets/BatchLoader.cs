using System.Threading.Channels;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Imaging;
using MLRFNet.Imaging.Transforms;

namespace MLRFNet.Imaging.Datasets;

public sealed record LoaderOptions
{
    public int BatchSize { get; init; } = 32;

    /// <summary>Batches prepared ahead of the consumer (the bounded channel's capacity).</summary>
    public int Prefetch { get; init; } = 3;

    /// <summary>Threads decoding/augmenting one batch in parallel.</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Training: shuffle each epoch and apply <see cref="Augmentation"/>; otherwise the eval transform, in order.</summary>
    public bool Train { get; init; }

    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.Default;

    /// <summary>Drop the last partial batch (training only; BatchNorm dislikes a batch of 1).</summary>
    public bool DropLast { get; init; }

    public LoaderOptions Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1 (got {BatchSize}).");
        if (Prefetch < 1) throw new ArgumentException($"Prefetch must be at least 1 (got {Prefetch}).");
        if (Workers < 1) throw new ArgumentException($"Loader workers must be at least 1 (got {Workers}).");
        Augmentation.Validate();
        return this;
    }
}

/// <summary>
/// Produces batches on a background task while the model trains on the previous ones (a bounded channel, like
/// PyTorch's DataLoader with <c>prefetch_factor</c>). Every image's augmentation draws from its own
/// <see cref="Random"/> seeded by (seed, epoch, position), so a run is repeatable whatever the thread timing.
/// Images that fail to decode are skipped and reported through <see cref="Unreadable"/>, never silently.
/// </summary>
public sealed class BatchLoader
{
    private readonly XrayDataset dataset;
    private readonly PreprocessedCache cache;
    private readonly PreprocessingSpec spec;
    private readonly LoaderOptions options;
    private readonly int seed;
    private readonly HashSet<string> unreadable = [];
    private readonly List<string> unreadableReasons = [];

    public BatchLoader(XrayDataset dataset, PreprocessedCache cache, PreprocessingSpec spec, LoaderOptions options, int seed)
    {
        this.dataset = dataset;
        this.cache = cache;
        this.spec = spec.Validate();
        this.options = options.Validate();
        this.seed = seed;
    }

    /// <summary>"name: reason" for every image skipped so far because it could not be read.</summary>
    public IReadOnlyList<string> Unreadable
    {
        get { lock (unreadable) return unreadableReasons.ToArray(); }
    }

    public int BatchesPerEpoch =>
        options.DropLast ? dataset.Count / options.BatchSize : (dataset.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>The batches of one epoch, prepared ahead on a background task.</summary>
    public async IAsyncEnumerable<Batch> Epoch(int epoch, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(options.Prefetch) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => Produce(epoch, channel.Writer, cancellationToken), cancellationToken);
        await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken)) yield return batch;
        await producer; // surfaces a producer failure
    }

    /// <summary>The epoch's image order: shuffled by (seed, epoch) for training, file order otherwise.</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        if (options.Train) new Random(Mix(seed, epoch, -1)).Shuffle(order);
        return order;
    }

    private async Task Produce(int epoch, ChannelWriter<Batch> writer, CancellationToken cancellationToken)
    {
        try
        {
            var order = Order(epoch);
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                var count = Math.Min(options.BatchSize, order.Length - start);
                if (options.DropLast && count < options.BatchSize) break;
                var batch = Build(epoch, order, start, count);
                if (batch is not null) await writer.WriteAsync(batch, cancellationToken);
            }
            cache.FlushIndex();
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
        }
    }

    private Batch? Build(int epoch, int[] order, int start, int count)
    {
        var sample = spec.Channels * spec.CropSize * spec.CropSize;
        var classes = dataset.Labels.Count;
        var images = new float[count * sample];
        var ok = new bool[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.Workers }, i =>
        {
            var item = dataset.Items[order[start + i]];
            lock (unreadable) if (unreadable.Contains(item.ImagePath)) return;
            XrayImage image;
            try
            {
                image = cache.GetScratch(item.ImagePath); // consumed below on this thread
            }
            catch (Exception e) when (e is XrayDecodeException or IOException or UnauthorizedAccessException)
            {
                lock (unreadable)
                    if (unreadable.Add(item.ImagePath)) unreadableReasons.Add($"{item.ImageIndex}: {e.Message}");
                return;
            }
            var destination = images.AsSpan(i * sample, sample);
            if (options.Train)
                TrainTransform.ToTensor(image, spec, options.Augmentation, new Random(Mix(seed, epoch, start + i)), destination);
            else
                EvalTransform.ToTensor(image, spec, destination);
            ok[i] = true;
        });

        var kept = ok.Count(k => k);
        if (kept == 0) return null;
        var outImages = kept == count ? images : new float[kept * sample];
        var targets = new float[kept * classes];
        var names = new string[kept];
        for (int i = 0, k = 0; i < count; i++)
        {
            if (!ok[i]) continue;
            var item = dataset.Items[order[start + i]];
            if (!ReferenceEquals(outImages, images)) images.AsSpan(i * sample, sample).CopyTo(outImages.AsSpan(k * sample));
            item.Targets.CopyTo(targets, k * classes);
            names[k] = item.ImageIndex;
            k++;
        }
        return new Batch(kept, outImages, targets, names);
    }

    private static int Mix(int seed, int epoch, int position) =>
        unchecked((int)((uint)seed * 2654435761u ^ (uint)(epoch + 1) * 40503u ^ (uint)(position + 7) * 2246822519u));
}
