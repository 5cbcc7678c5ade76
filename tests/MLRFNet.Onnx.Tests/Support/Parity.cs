namespace MLRFNet.Onnx.Tests.Support;

/// <summary>Largest absolute differences between ONNX Runtime's outputs and TorchSharp's, per output kind.</summary>
internal sealed record Parity(double Logits, double Probabilities, double ClassMaps)
{
    /// <summary>Compares <paramref name="ort"/> (outputs by name) with <paramref name="torch"/>; class maps in head-level order.</summary>
    public static Parity Of(IReadOnlyDictionary<string, (float[] Values, long[] Shape)> ort, TorchOutputs torch, IReadOnlyList<string> classMapNames)
    {
        Assert.Equal(classMapNames.Count, torch.ClassMaps.Count);
        var maps = 0.0;
        for (var i = 0; i < classMapNames.Count; i++)
        {
            var (values, shape) = ort[classMapNames[i]];
            Assert.Equal(torch.ClassMaps[i].Shape, shape);
            maps = Math.Max(maps, OrtRunner.MaxAbsDifference(values, torch.ClassMaps[i].Values));
        }
        return new Parity(
            OrtRunner.MaxAbsDifference(ort["logits"].Values, torch.Logits),
            OrtRunner.MaxAbsDifference(ort["probabilities"].Values, torch.Probabilities),
            maps);
    }

    public Parity Max(Parity other) =>
        new(Math.Max(Logits, other.Logits), Math.Max(Probabilities, other.Probabilities), Math.Max(ClassMaps, other.ClassMaps));

    public override string ToString() =>
        $"max |logit diff| {Logits:E2}, max |probability diff| {Probabilities:E2}, max |class map diff| {ClassMaps:E2}";
}
