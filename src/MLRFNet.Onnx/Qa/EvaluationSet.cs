using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Onnx.Qa;

/// <summary>One preprocessed image of the evaluation set and its 0/1 targets in label order.</summary>
/// <param name="Name">Identifies the image in messages (file name, accession number...).</param>
/// <param name="Input">The model input for this image, preprocessed exactly as for inference (e.g. [3, 224, 224]).</param>
/// <param name="Targets">One 0 or 1 per class, in label-set order (uncertain labels already mapped).</param>
public sealed record EvaluationSample(string Name, float[] Input, float[] Targets);

/// <summary>
/// The labelled images both models are scored on. The CLI builds it from a labels CSV and an image folder through
/// the model's preprocessing; tests build it from synthetic tensors.
/// </summary>
public sealed class EvaluationSet
{
    public EvaluationSet(string description, LabelSet labelSet, long[] sampleShape, IReadOnlyList<EvaluationSample> samples, DataSetRecord? record = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(labelSet);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("The evaluation set is empty; give it labelled images.", nameof(samples));
        var size = sampleShape.Aggregate(1L, (a, d) => a * d);
        foreach (var s in samples)
        {
            if (s.Input.Length != size)
                throw new ArgumentException($"Image '{s.Name}' has {s.Input.Length} input values; shape [{string.Join(",", sampleShape)}] needs {size}.", nameof(samples));
            if (s.Targets.Length != labelSet.Count)
                throw new ArgumentException($"Image '{s.Name}' has {s.Targets.Length} targets for the {labelSet.Count} labels of '{labelSet.Name}'.", nameof(samples));
            for (var c = 0; c < s.Targets.Length; c++)
                if (s.Targets[c] is not (0f or 1f))
                    throw new ArgumentException(
                        $"Image '{s.Name}', label '{labelSet[c]}' has target {s.Targets[c]}; targets must be 0 or 1 (map uncertain labels with an UncertaintyPolicy first).", nameof(samples));
        }
        Description = description;
        LabelSet = labelSet;
        SampleShape = sampleShape;
        Samples = samples;
        Record = record;
    }

    /// <summary>Name, size and fingerprint (image SHA-256s and labels) for the manifest, when the image files are known.</summary>
    public DataSetRecord? Record { get; }

    /// <summary>What the images are (recorded in the manifest's QA result), e.g. "nih-sample validation split, 84 images".</summary>
    public string Description { get; }
    public LabelSet LabelSet { get; }
    public long[] SampleShape { get; }
    public IReadOnlyList<EvaluationSample> Samples { get; }

    /// <summary>The [n, C] labels, row-major, as the metrics take them.</summary>
    public int[] Labels() => Samples.SelectMany(s => s.Targets.Select(t => (int)t)).ToArray();
}
