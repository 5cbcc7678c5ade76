using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLRFNet.Training.Training;

/// <summary>
/// <c>state.json</c> in a run folder, written after every epoch beside <c>last.ckpt</c> and <c>last.optim</c>:
/// enough to resume exactly (same epoch, same learning-rate schedule, same early-stopping count).
/// </summary>
public sealed record TrainingState
{
    public required int CompletedEpochs { get; init; }
    public required double BestValidationLoss { get; init; }
    public required int BestEpoch { get; init; }
    public required int EpochsWithoutImprovement { get; init; }
    public required string Variant { get; init; }
    public required int Seed { get; init; }
    public bool Stopped { get; init; }
    public string? StopReason { get; init; }

    public const string FileName = "state.json";

    public static TrainingState? Load(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        return File.Exists(path)
            ? JsonSerializer.Deserialize(File.ReadAllText(path), TrainingStateJsonContext.Default.TrainingState)
            : null;
    }

    public void Save(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, TrainingStateJsonContext.Default.TrainingState));
        File.Move(tmp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TrainingState))]
internal sealed partial class TrainingStateJsonContext : JsonSerializerContext;
