namespace MLRFNet.Export.Graph;

/// <summary>
/// One dimension of a graph input or output: a fixed size or a symbolic name such as <c>"N"</c> for the batch.
/// Converts implicitly from <see cref="int"/> and <see cref="string"/>, so shapes read as
/// <c>AddInput("image", "N", 3, 224, 224)</c>.
/// </summary>
public readonly record struct Dim
{
    private Dim(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    public long? Value { get; }
    public string? Symbol { get; }

    public static Dim Fixed(long value) =>
        value > 0 ? new Dim(value, null) : throw new ArgumentOutOfRangeException(nameof(value), value, "A fixed dimension must be positive.");

    public static Dim Symbolic(string name) =>
        !string.IsNullOrWhiteSpace(name) ? new Dim(null, name) : throw new ArgumentException("A symbolic dimension needs a name.", nameof(name));

    public static implicit operator Dim(int value) => Fixed(value);
    public static implicit operator Dim(string symbol) => Symbolic(symbol);

    public override string ToString() => Symbol ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
