using MLRFNet.Core.Metrics;
using ScottPlot;

namespace MLRFNet.Onnx.Qa;

/// <summary>ROC curves of the reference and the candidate for one class, drawn with ScottPlot as PNG bytes.</summary>
public static class RocPlot
{
    public static byte[] Png(string label, RocCurve reference, RocCurve candidate, double? referenceAuc, double? candidateAuc, int size = 360)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var plot = new Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LineColor = Colors.Gray;
        chance.LinePattern = LinePattern.Dashed;
        Add(plot, reference, $"reference (AUC {Format(referenceAuc)})", Colors.SteelBlue, LinePattern.Solid, 2.5f);
        Add(plot, candidate, $"candidate (AUC {Format(candidateAuc)})", Colors.OrangeRed, LinePattern.Dashed, 1.5f);
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title(label);
        plot.XLabel("False positive rate");
        plot.YLabel("True positive rate");
        plot.Legend.Alignment = Alignment.LowerRight;
        plot.ShowLegend();
        return plot.GetImageBytes(size, size, ImageFormat.Png);
    }

    private static void Add(Plot plot, RocCurve curve, string legend, Color color, LinePattern pattern, float width)
    {
        if (!curve.IsDefined) return;
        var scatter = plot.Add.ScatterLine(curve.FalsePositiveRate!, curve.TruePositiveRate!);
        scatter.LegendText = legend;
        scatter.Color = color;
        scatter.LinePattern = pattern;
        scatter.LineWidth = width;
    }

    private static string Format(double? auc) => auc is { } a ? a.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "undefined";
}
