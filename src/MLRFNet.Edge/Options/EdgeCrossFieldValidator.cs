using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Options;

/// <summary>
/// Rules that span fields, checked at start (ValidateOnStart) so a bad folder, model path or pin stops the service
/// with a message that says what to change, instead of failing on the first X-ray.
/// </summary>
internal sealed class EdgeCrossFieldValidator : IValidateOptions<EdgeOptions>, IValidateOptions<InferenceOptions>,
    IValidateOptions<GpioOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        var failures = new List<string>();
        var folders = new (string Key, string Path)[]
        {
            ("Edge:IntakeFolder", options.IntakeFolder), ("Edge:ReportsFolder", options.ReportsFolder),
            ("Edge:ArchiveFolder", options.ArchiveFolder), ("Edge:QuarantineFolder", options.QuarantineFolder),
            ("Edge:WorkFolder", options.WorkFolder),
        };
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, path) in folders)
        {
            if (string.IsNullOrWhiteSpace(path)) continue; // reported by the generated validator
            string full;
            try { full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)); }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                failures.Add($"{key} '{path}' is not a valid path ({e.Message}); set it to a folder path.");
                continue;
            }
            if (File.Exists(full))
                failures.Add($"{key} '{full}' is a file, not a folder; point it at a folder (it is created when missing).");
            if (seen.TryGetValue(full, out var other))
                failures.Add($"{key} and {other} are the same folder '{full}'; give each its own folder so inputs, reports and archive never mix.");
            else seen[full] = key;
        }
        // TimeSpan ranges are checked here: [Range(typeof(TimeSpan), ...)] converts through TypeDescriptor, which
        // trimming can break (IL2026).
        Within(failures, "Edge:StableAge", options.StableAge, TimeSpan.Zero, TimeSpan.FromHours(1), "00:00:02");
        Within(failures, "Edge:UnwatchedStableAge", options.UnwatchedStableAge, TimeSpan.Zero, TimeSpan.FromHours(1), "00:00:30");
        Within(failures, "Edge:RescanInterval", options.RescanInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1), "00:00:30");
        Within(failures, "Edge:PollInterval", options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1), "00:00:00.250");
        Within(failures, "Edge:HealthInterval", options.HealthInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10), "00:00:05");
        Within(failures, "Edge:LivenessTimeout", options.LivenessTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "00:02:00");
        if (options.PollInterval > options.RescanInterval)
            failures.Add($"Edge:PollInterval ({options.PollInterval}) is longer than Edge:RescanInterval ({options.RescanInterval}); make the poll interval the shorter one.");
        if (options.HealthFile is { Length: > 0 } health && Directory.Exists(health))
            failures.Add($"Edge:HealthFile '{health}' is a folder; set it to a file path such as /var/lib/mlrfnet/health.json.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Within(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max, string example)
    {
        if (value < min || value > max)
            failures.Add($"{key} is {value}; it must be between {min} and {max} (hh:mm:ss, e.g. {example}).");
    }

    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.ModelPath))
        {
            if (!File.Exists(options.ModelPath))
                failures.Add($"Inference:ModelPath '{Path.GetFullPath(options.ModelPath)}' does not exist; install the model there or point Inference:ModelPath at the .onnx file.");
            else if (!File.Exists(Core.Manifest.ModelManifest.ManifestPathFor(options.ModelPath)))
                failures.Add($"The model's manifest '{Core.Manifest.ModelManifest.ManifestPathFor(options.ModelPath)}' is missing; copy the .manifest.json that came with the model beside it.");
        }
        if (options.Providers.Distinct().Count() != options.Providers.Count)
            failures.Add($"Inference:Providers lists a provider twice ({string.Join(", ", options.Providers)}); list each of TensorRT, Cuda, Cpu at most once.");
        if (options.NativeLibraryPath is { Length: > 0 } lib)
        {
            if (!Path.IsPathFullyQualified(lib))
                failures.Add($"Inference:NativeLibraryPath '{lib}' must be absolute, e.g. /usr/local/lib/libonnxruntime.so.");
            else if (!File.Exists(lib))
                failures.Add($"Inference:NativeLibraryPath '{lib}' does not exist; install the device's libonnxruntime.so there or clear the option to use the bundled one.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, GpioOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        var used = options.Lines.Where(l => l.Line >= 0).ToList();
        if (used.Count == 0)
            failures.Add("Gpio:Enabled is true but no line is set; set at least one of Gpio:ReadyLine, BusyLine, FaultLine, AlertLine (chip offsets from gpioinfo) or set Gpio:Enabled=false.");
        foreach (var group in used.GroupBy(l => l.Line).Where(g => g.Count() > 1))
            failures.Add($"GPIO line {group.Key} is used by {string.Join(" and ", group.Select(l => "Gpio:" + l.Name))}; give each signal its own line.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
