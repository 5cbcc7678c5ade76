using System.IO.Compression;
using System.Text.Json;
using MLRFNet.Training.Models;
using MLRFNet.Training.Pretrained;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MLRFNet.Training.Checkpoints;

/// <summary>
/// One-file checkpoint: a zip holding <c>config.json</c> (<see cref="CheckpointConfig"/>) and <c>state_dict.pt</c>, the
/// model's state_dict in PyTorch's zip format, so Python can read it too:
/// <code>
///   z = zipfile.ZipFile(path); cfg = json.loads(z.read("config.json"))
///   state_dict = torch.load(io.BytesIO(z.read("state_dict.pt")))
/// </code>
/// Loading rebuilds the model from the stored variant record and label count and loads every tensor strictly.
/// </summary>
public static class CheckpointFile
{
    public const string ConfigEntry = "config.json";
    public const string StateDictEntry = "state_dict.pt";
    public const string Extension = ".ckpt";

    public static void Save(string path, MLRFNetModel model, CheckpointConfig config)
    {
        config.Validate();
        if (config.Variant != model.Variant)
            throw new ArgumentException($"Checkpoint config describes variant '{config.Variant.Name}', but the model was built as '{model.Variant.Name}' (or with other settings).");
        if (config.LabelSet.Count != model.NumClasses)
            throw new ArgumentException($"Label set '{config.LabelSet.Name}' has {config.LabelSet.Count} labels but the model has {model.NumClasses} outputs.");

        using var weights = new MemoryStream();
        // A model on a GPU is written from host copies, so a checkpoint loads on any machine.
        var state = model.state_dict();
        var onHost = state.ToDictionary(kv => kv.Key, kv => kv.Value.device_type == TorchSharp.DeviceType.CPU ? kv.Value : kv.Value.cpu());
        PyTorchPickler.PickleStateDict(weights, onHost, leaveOpen: true);
        foreach (var (name, tensor) in onHost)
            if (!ReferenceEquals(tensor, state[name])) tensor.Dispose();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        // Write beside the target and rename, so an interrupted save never leaves a truncated checkpoint in place.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var file = File.Create(temporary))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                using (var entry = zip.CreateEntry(ConfigEntry, CompressionLevel.Optimal).Open())
                    JsonSerializer.Serialize(entry, config, TrainingJsonContext.Default.CheckpointConfig);
                using (var entry = zip.CreateEntry(StateDictEntry, CompressionLevel.NoCompression).Open())
                {
                    weights.Position = 0;
                    weights.CopyTo(entry);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Reads only the config (cheap: no weights are read).</summary>
    public static CheckpointConfig ReadConfig(string path)
    {
        using var zip = Open(path);
        return ReadConfig(zip, path);
    }

    /// <summary>Rebuilds the model described by the checkpoint and loads its weights (strict: every key, every shape).</summary>
    public static (MLRFNetModel Model, CheckpointConfig Config) Load(string path)
    {
        using var zip = Open(path);
        var config = ReadConfig(zip, path);
        var entry = zip.GetEntry(StateDictEntry) ?? throw new FormatException($"'{path}' has no {StateDictEntry}: not an MLRFNet checkpoint.");
        using var weights = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(weights);
        weights.Position = 0;
        var table = PyTorchUnpickler.UnpickleStateDict(weights, leaveOpen: true);
        var source = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry item in table) source[(string)item.Key] = (Tensor)item.Value!;

        var model = new MLRFNetModel(config.Variant, config.LabelSet.Count);
        try
        {
            StateDictImporter.Load(model, config.Variant.Name, source, Path.GetFileName(path), new ImportOptions { SkipPrefixes = [] });
        }
        catch (PretrainedImportException e)
        {
            model.Dispose();
            throw new FormatException($"'{path}': weights do not fit the model its config describes: {e.Message}", e);
        }
        finally
        {
            foreach (var tensor in source.Values) tensor.Dispose();
        }
        return (model, config);
    }

    private static ZipArchive Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        try { return ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new FormatException($"'{path}' is not an MLRFNet checkpoint (not a zip file).", e); }
    }

    private static CheckpointConfig ReadConfig(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(ConfigEntry) ?? throw new FormatException($"'{path}' has no {ConfigEntry}: not an MLRFNet checkpoint.");
        using var stream = entry.Open();
        CheckpointConfig? config;
        try { config = JsonSerializer.Deserialize(stream, TrainingJsonContext.Default.CheckpointConfig); }
        catch (JsonException e) { throw new FormatException($"'{path}': {ConfigEntry} is not valid: {e.Message}", e); }
        return (config ?? throw new FormatException($"'{path}': {ConfigEntry} is empty.")).Validate();
    }
}
