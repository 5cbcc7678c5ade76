using MLRFNet.Core.Labels;

namespace MLRFNet.Imaging.Synthetic;

/// <summary>
/// Deterministic chest-like grayscale phantoms with planted findings whose presence sets the labels. They are not
/// anatomy: they exist so that tests, CI and demos can train and score a model on images that carry a learnable
/// signal at several scales (a small dense spot, a large hazy region, a widened central shadow...) without patient
/// data. Labels use the ChestX-ray14 label set; six of its classes are planted, the rest are always 0.
/// </summary>
public static class ChestPhantom
{
    /// <summary>The planted findings, each present independently with <see cref="FindingProbability"/>.</summary>
    public static IReadOnlyList<string> PlantedFindings { get; } =
        ["Cardiomegaly", "Effusion", "Mass", "Nodule", "Consolidation", "Pneumothorax"];

    public const double FindingProbability = 0.3;

    /// <summary>
    /// Makes phantom number <paramref name="index"/> of the set <paramref name="seed"/>: the same pair always gives the
    /// same pixels, so sets can be generated in parallel and regenerated anywhere.
    /// </summary>
    public static (byte[] Pixels, float[] Targets) Generate(int seed, int index, int size = 512) =>
        Generate(seed, index, size, findings: null);

    /// <summary>
    /// As <see cref="Generate(int, int, int)"/>, but with the planted findings given instead of drawn: the anatomy,
    /// positions and noise stay those of (<paramref name="seed"/>, <paramref name="index"/>), so two calls differ
    /// only by the findings (used to test that each finding is drawn where and as it should be).
    /// </summary>
    public static (byte[] Pixels, float[] Targets) Generate(int seed, int index, int size, IReadOnlySet<string>? findings)
    {
        if (size < 64 || size > 4096) throw new ArgumentOutOfRangeException(nameof(size), size, "Phantom size must be 64..4096 pixels.");
        if (findings?.FirstOrDefault(f => !PlantedFindings.Contains(f)) is { } unknown)
            throw new ArgumentException($"'{unknown}' is not a planted finding; use one of {string.Join(", ", PlantedFindings)}.", nameof(findings));
        // System.Random with an explicit seed is stable across processes and runtimes of the same major version;
        // HashCode.Combine is not (it is randomized per process), so the seed is mixed by hand.
        var random = new Random(unchecked(seed * 1_000_003 + index * 7919 + 0x5eed));
        var labels = LabelSets.ChestXray14;
        var targets = new float[labels.Count];
        var present = new HashSet<string>();
        foreach (var finding in PlantedFindings)
        {
            var drawn = random.NextDouble() < FindingProbability; // always drawn, so the stream stays aligned
            if (findings is null ? drawn : findings.Contains(finding))
            {
                present.Add(finding);
                targets[labels.IndexOf(finding)] = 1f;
            }
        }

        var s = (float)size;
        float J(double spread) => (float)((random.NextDouble() * 2 - 1) * spread); // jitter in [-spread, spread]

        var body = new Ellipse(0.5f * s + J(0.02 * s), 0.55f * s + J(0.02 * s), (0.42f + J(0.03)) * s, (0.47f + J(0.02)) * s);
        var lungY = 0.45f * s + J(0.02 * s);
        var lungRx = (0.13f + J(0.015)) * s;
        var lungRy = (0.28f + J(0.02)) * s;
        var lungs = new[]
        {
            new Ellipse(0.5f * s - 0.18f * s + J(0.01 * s), lungY, lungRx, lungRy),
            new Ellipse(0.5f * s + 0.18f * s + J(0.01 * s), lungY, lungRx, lungRy),
        };
        var heartScale = present.Contains("Cardiomegaly") ? 1.55f + J(0.1) : 1f + J(0.08);
        var heart = new Ellipse(0.53f * s + J(0.01 * s), 0.63f * s + J(0.01 * s), 0.095f * s * heartScale, 0.12f * s);
        var ribPeriod = s / (11f + J(1));
        var ribPhase = J(Math.PI);

        // Findings placed inside a randomly chosen lung.
        Ellipse PickLung() => lungs[random.Next(2)];
        (float X, float Y) InLung(Ellipse lung, float margin)
        {
            var angle = random.NextDouble() * 2 * Math.PI;
            var r = Math.Sqrt(random.NextDouble()) * (1 - margin);
            return ((float)(lung.Cx + Math.Cos(angle) * r * lung.Rx), (float)(lung.Cy + Math.Sin(angle) * r * lung.Ry));
        }

        var effusionLung = PickLung();
        var effusionLevel = effusionLung.Cy + effusionLung.Ry * (0.45f + J(0.1));
        var massLung = PickLung();
        var mass = InLung(massLung, 0.45f);
        var massRadius = (0.055f + J(0.01)) * s;
        var noduleLung = PickLung();
        var nodule = InLung(noduleLung, 0.3f);
        var noduleRadius = (0.02f + J(0.004)) * s;
        var consolidationLung = PickLung();
        var consolidation = InLung(consolidationLung, 0.5f);
        var consolidationSigma = (0.07f + J(0.015)) * s;
        var pneumoIndex = random.Next(2);
        var pneumoLung = lungs[pneumoIndex];
        var pneumoSide = pneumoIndex == 0 ? -1f : 1f; // lateral edge of that lung

        var noise = new float[size * size];
        for (var i = 0; i < noise.Length; i += 2)
        {
            // Box-Muller: two normal deviates per pair of uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var m = Math.Sqrt(-2 * Math.Log(u1));
            noise[i] = (float)(m * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < noise.Length) noise[i + 1] = (float)(m * Math.Sin(2 * Math.PI * u2));
        }

        var pixels = new byte[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                float v = 18f;
                var inBody = body.Inside(x, y);
                if (inBody) v = 150f;
                var lungIndex = lungs[0].Inside(x, y) ? 0 : lungs[1].Inside(x, y) ? 1 : -1;
                if (lungIndex >= 0)
                {
                    var lung = lungs[lungIndex];
                    v = 62f + 14f * MathF.Max(0f, MathF.Sin((float)(y * 2 * Math.PI / ribPeriod + ribPhase)));
                    if (present.Contains("Pneumothorax") && lung.Equals(pneumoLung))
                    {
                        // Collapsed lung edge: a dark band without rib texture along the lateral apex.
                        var dx = (x - lung.Cx) / lung.Rx * pneumoSide;
                        var dy = (y - lung.Cy) / lung.Ry;
                        if (dx > 0.35f && dy < 0.2f) v = 28f;
                        else if (dx > 0.28f && dy < 0.2f) v = 120f; // visceral pleural line
                    }
                    if (present.Contains("Effusion") && lung.Equals(effusionLung) && y > effusionLevel - 6f * MathF.Abs(x - lung.Cx) / lung.Rx * s / 64f)
                        v = 145f;
                }
                if (heart.Inside(x, y)) v = MathF.Max(v, 168f);
                if (MathF.Abs(x - 0.5f * s) < 0.035f * s && inBody) v = MathF.Max(v, 172f); // spine
                if (present.Contains("Consolidation") && lungIndex >= 0 && lungs[lungIndex].Equals(consolidationLung))
                {
                    var d2 = Sq(x - consolidation.X) + Sq(y - consolidation.Y);
                    v += 60f * MathF.Exp(-d2 / (2 * consolidationSigma * consolidationSigma));
                }
                if (present.Contains("Mass"))
                    v += 75f * SoftDisc(x, y, mass.X, mass.Y, massRadius, 3f);
                if (present.Contains("Nodule"))
                    v += 85f * SoftDisc(x, y, nodule.X, nodule.Y, noduleRadius, 1.5f);
                v += 6f * noise[y * size + x];
                pixels[y * size + x] = (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
            }
        }
        return (pixels, targets);
    }

    private static float Sq(float v) => v * v;

    /// <summary>1 inside the disc, 0 outside, a linear ramp of <paramref name="edge"/> pixels between.</summary>
    private static float SoftDisc(float x, float y, float cx, float cy, float radius, float edge)
    {
        var d = MathF.Sqrt(Sq(x - cx) + Sq(y - cy));
        return Math.Clamp((radius - d) / edge + 0.5f, 0f, 1f);
    }

    private readonly record struct Ellipse(float Cx, float Cy, float Rx, float Ry)
    {
        public bool Inside(float x, float y) => Sq((x - Cx) / Rx) + Sq((y - Cy) / Ry) <= 1f;
    }
}
