using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>One sample of a Prometheus text exposition: metric name, labels, value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, written from the format's specification
/// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), independent of the console's
/// writer: it rejects what a Prometheus server would (bad names, unescaped label values, a sample before its TYPE, a
/// TYPE given twice, histogram buckets that are not cumulative or lack +Inf, _count differing from the +Inf bucket).
/// </summary>
internal static partial class PrometheusText
{
    public static (List<PrometheusSample> Samples, Dictionary<string, string> Types) Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] == "TYPE")
                {
                    if (!MetricName().IsMatch(parts[2])) throw new FormatException($"line {lineNumber}: bad metric name '{parts[2]}'");
                    if (parts.Length != 4 || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                        throw new FormatException($"line {lineNumber}: bad TYPE line '{line}'");
                    if (!types.TryAdd(parts[2], parts[3])) throw new FormatException($"line {lineNumber}: TYPE of {parts[2]} given twice");
                    if (samples.Any(s => Family(s.Name, types) == parts[2])) throw new FormatException($"line {lineNumber}: TYPE of {parts[2]} after its samples");
                }
                continue;
            }
            try { samples.Add(ParseSample(line, lineNumber)); }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw new FormatException($"line {lineNumber}: the sample line ends early: '{line}'");
            }
        }
        foreach (var sample in samples)
            if (!types.ContainsKey(Family(sample.Name, types))) throw new FormatException($"sample {sample.Name} has no TYPE");
        CheckHistograms(samples, types);
        return (samples, types);
    }

    private static string Family(string name, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var t) && t is "histogram" or "summary")
                return name[..^suffix.Length];
        return name;
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ') i++;
        var name = line[..i];
        if (!MetricName().IsMatch(name)) throw new FormatException($"line {lineNumber}: bad metric name '{name}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                if (!LabelName().IsMatch(label)) throw new FormatException($"line {lineNumber}: bad label name '{label}'");
                if (line[eq + 1] != '"') throw new FormatException($"line {lineNumber}: label value not quoted");
                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] != '\\') { value.Append(line[j]); continue; }
                    j++;
                    value.Append(line[j] switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new FormatException($"line {lineNumber}: bad escape \\{line[j]}") });
                }
                if (!labels.TryAdd(label, value.ToString())) throw new FormatException($"line {lineNumber}: label {label} twice");
                i = j + 1;
                if (line[i] == ',') i++;
                else if (line[i] != '}') throw new FormatException($"line {lineNumber}: expected , or }} after a label");
            }
            i++;
        }
        if (i >= line.Length || line[i] != ' ') throw new FormatException($"line {lineNumber}: no value");
        var fields = line[(i + 1)..].Split(' ');
        if (fields.Length is < 1 or > 2) throw new FormatException($"line {lineNumber}: expected value [timestamp]");
        var number = fields[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"line {lineNumber}: bad value '{v}'"),
        };
        return new PrometheusSample(name, labels, number);
    }

    private static void CheckHistograms(List<PrometheusSample> samples, Dictionary<string, string> types)
    {
        foreach (var (family, _) in types.Where(t => t.Value == "histogram"))
        {
            var series = samples.Where(s => s.Name == family + "_bucket")
                .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => l.Key + "=" + l.Value)));
            foreach (var group in series)
            {
                var buckets = group.Select(s => (Le: s.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(s.Labels["le"], CultureInfo.InvariantCulture), s.Value)).ToList();
                if (!buckets.Select(b => b.Le).SequenceEqual(buckets.Select(b => b.Le).Order())) throw new FormatException($"{family}{{{group.Key}}}: buckets not in increasing le order");
                if (buckets[^1].Le != double.PositiveInfinity) throw new FormatException($"{family}{{{group.Key}}}: no +Inf bucket");
                for (var k = 1; k < buckets.Count; k++)
                    if (buckets[k].Value < buckets[k - 1].Value) throw new FormatException($"{family}{{{group.Key}}}: buckets not cumulative");
                var count = samples.Single(s => s.Name == family + "_count" && Key(s) == group.Key).Value;
                if (count != buckets[^1].Value) throw new FormatException($"{family}{{{group.Key}}}: _count {count} differs from the +Inf bucket {buckets[^1].Value}");
                _ = samples.Single(s => s.Name == family + "_sum" && Key(s) == group.Key);
            }
        }
    }

    private static string Key(PrometheusSample s) => string.Join(",", s.Labels.OrderBy(l => l.Key).Select(l => l.Key + "=" + l.Value));

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
