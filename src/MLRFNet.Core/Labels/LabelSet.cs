namespace MLRFNet.Core.Labels;

/// <summary>An ordered list of class names. The order is the order of the model's output columns.</summary>
public sealed record LabelSet
{
    public LabelSet(string name, IReadOnlyList<string> labels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0) throw new ArgumentException($"Label set '{name}' has no labels.", nameof(labels));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (string.IsNullOrWhiteSpace(label)) throw new ArgumentException($"Label set '{name}' has an empty label.", nameof(labels));
            if (!seen.Add(label)) throw new ArgumentException($"Label set '{name}' lists '{label}' twice.", nameof(labels));
        }
        Name = name;
        Labels = labels.ToArray();
    }

    public string Name { get; }

    public IReadOnlyList<string> Labels { get; }

    public int Count => Labels.Count;

    public string this[int index] => Labels[index];

    /// <summary>The column of <paramref name="label"/>, or -1.</summary>
    public int IndexOf(string label)
    {
        for (var i = 0; i < Labels.Count; i++)
            if (string.Equals(Labels[i], label, StringComparison.Ordinal)) return i;
        return -1;
    }

    public bool Equals(LabelSet? other) =>
        other is not null && Name == other.Name && Labels.SequenceEqual(other.Labels, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Name, Labels.Count);
}
