using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MLRFNet.Training.Pretrained;

/// <summary>
/// Loads a PyTorch state_dict saved with <c>torch.save(model.state_dict(), path)</c> (zip format, PyTorch ≥ 1.6) into a
/// module by key, through TorchSharp.PyBridge. Checks everything before writing anything, so a refused import leaves
/// the module untouched; refuses partial loads unless <see cref="ImportOptions"/> allows them.
/// </summary>
public static class StateDictImporter
{
    /// <summary>Reads a PyTorch zip state_dict into tensors; clear errors for the legacy format and nested checkpoints.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Pretrained file '{path}' does not exist.", path);
        using (var probe = File.OpenRead(path))
        {
            Span<byte> magic = stackalloc byte[4];
            if (probe.Read(magic) < 4 || magic[0] != (byte)'P' || magic[1] != (byte)'K')
                throw new PretrainedImportException(
                    $"'{path}' is not a zip-format PyTorch file. Re-save it in Python with torch.save(state_dict, path) " +
                    "(PyTorch >= 1.6 writes the zip format by default; older files use the legacy format PyBridge cannot read).");
        }
        Hashtable table;
        try { table = PyTorchUnpickler.UnpickleStateDict(path); }
        catch (Exception e) when (e is not PretrainedImportException)
        {
            throw new PretrainedImportException($"'{path}' could not be read as a PyTorch state_dict: {e.Message}");
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Value is not Tensor tensor)
                throw new PretrainedImportException(
                    $"'{path}' entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor: the file is a training " +
                    "checkpoint, not a flat state_dict. Save checkpoint['state_dict'] (or ['model']) on its own and import that.");
            result[(string)entry.Key] = tensor;
        }
        return result;
    }

    public static ImportReport LoadFile(nn.Module target, string targetName, string path, ImportOptions? options = null)
    {
        var source = Read(path);
        try { return Load(target, targetName, source, Path.GetFileName(path), options ?? ImportOptions.Strict); }
        finally { foreach (var t in source.Values) t.Dispose(); }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> by key after checking keys and shapes.</summary>
    public static ImportReport Load(nn.Module target, string targetName, IReadOnlyDictionary<string, Tensor> source, string sourceName, ImportOptions options)
    {
        var destination = target.state_dict();
        var loaded = new List<ImportedTensor>();
        var skipped = new List<string>();
        var unexpected = new List<string>();
        var notes = new List<string>();
        var mismatched = new List<string>();
        foreach (var (key, tensor) in source.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (options.SkipPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) { skipped.Add(key); continue; }
            if (!destination.TryGetValue(key, out var slot)) { unexpected.Add(key); continue; }
            if (!slot.shape.SequenceEqual(tensor.shape))
                mismatched.Add($"{key}: file [{string.Join("x", tensor.shape)}], model [{string.Join("x", slot.shape)}]");
            else
            {
                if (tensor.dtype != slot.dtype) notes.Add($"{key}: converted {tensor.dtype} to {slot.dtype}");
                loaded.Add(new ImportedTensor(key, key, slot.shape));
            }
        }
        var missing = destination.Keys.Where(k => !source.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        // BatchNorm's step counter only matters for momentum=None training, and checkpoints written before PyTorch
        // 0.4.1 (or cleaned for release) lack it: keep it at its initial value instead of refusing the file.
        var counters = missing.Where(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        if (counters.Count > 0)
        {
            missing.RemoveAll(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal));
            notes.Add($"{counters.Count} BatchNorm num_batches_tracked counters absent from the file; kept at their initial values");
        }
        var report = new ImportReport(sourceName, targetName, loaded, skipped, missing, unexpected, notes);

        if (mismatched.Count > 0)
            throw new PretrainedImportException($"{report.Summary}; {mismatched.Count} shape mismatch(es), nothing loaded: " +
                string.Join("; ", mismatched.Take(10)) + ". The file was made for a different architecture or number of classes.", report);
        if (missing.Count > 0 && !options.AllowMissing)
            throw new PretrainedImportException($"{report.Summary}; refusing a partial load (missing e.g. {string.Join(", ", missing.Take(5))}). " +
                "Pass --allow-partial (ImportOptions.AllowMissing) to keep those tensors at their initial values.", report);
        if (unexpected.Count > 0 && !options.AllowUnexpected)
            throw new PretrainedImportException($"{report.Summary}; the file has keys the model lacks (e.g. {string.Join(", ", unexpected.Take(5))}). " +
                "Check the variant, add a skip prefix, or allow unexpected keys.", report);

        using var noGrad = no_grad();
        foreach (var item in loaded)
        {
            using var value = source[item.SourceName].to(destination[item.TargetKey].dtype);
            destination[item.TargetKey].copy_(value);
        }
        return report;
    }
}
