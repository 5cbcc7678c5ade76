using System.Globalization;
using System.Text;
using MLRFNet.Core.Labels;

namespace MLRFNet.Training.Training;

/// <summary>
/// <c>metrics.csv</c>: one row per epoch — train loss, validation loss, validation mean AUC, per-class AUC (empty
/// where a class is undefined on the validation set), learning rate, seconds, training images/s.
/// </summary>
public sealed class MetricsLog(string path, LabelSet labels)
{
    public string Path { get; } = path;

    public void Append(EpochResult row)
    {
        var text = new StringBuilder();
        if (!File.Exists(Path))
        {
            text.Append("epoch,train_loss,val_loss,val_mean_auc,");
            foreach (var label in labels.Labels) text.Append("auc_").Append(label).Append(',');
            text.Append("lr,seconds,train_images_per_s\n");
        }
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"{row.Epoch},{row.TrainLoss:R},{row.ValidationLoss:R},{row.ValidationMeanAuc?.ToString("R", c)},");
        foreach (var auc in row.ValidationClassAuc) text.Append(auc?.ToString("R", c)).Append(',');
        text.Append(c, $"{row.LearningRate:R},{row.Seconds:F2},{row.TrainImagesPerSecond:F2}\n");
        File.AppendAllText(Path, text.ToString());
    }

    /// <summary>Drops rows after <paramref name="lastEpoch"/> (a resumed run rewrites what a crash left half-done).</summary>
    public void TruncateAfter(int lastEpoch)
    {
        if (!File.Exists(Path)) return;
        var lines = File.ReadAllLines(Path);
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l =>
            int.TryParse(l.AsSpan(0, Math.Max(0, l.IndexOf(','))), NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) && e <= lastEpoch));
        File.WriteAllLines(Path, kept);
    }
}
