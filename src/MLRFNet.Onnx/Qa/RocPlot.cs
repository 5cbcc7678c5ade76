using MLRFNet.Core.Metrics;
using ScottPlot;

namespace MLRFNet.Onnx.Qa;

/// <summary>
/// ROC charts drawn with ScottPlot: the frame every ROC chart of the toolchain shares (unit square, dashed chance
/// diagonal, axis titles, legend lower right) and the QA report's per-class chart of reference vs candidate.
/// </summary>
public static class RocPlot
{
    /// <summary>An empty ROC chart: unit axes, the chance diagonal, titles, legend in the lower right.</summary>
    public static Plot Frame(string title, string xLabel = "False positive rate", string yLabel = "True positive rate")
    {
        var plot = new Plot();
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LineColor = Colors.Gray;
        chance.LinePattern = LinePattern.Dashed;
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Legend.Alignment = Alignment.LowerRight;
        plot.ShowLegend();
        return plot;
    }

    /// <summary>Adds <paramref name="curve"/> (nothing when it is undefined: one outcome only).</summary>
    public static void AddCurve(Plot plot, RocCurve curve, string legend, float width = 1.5f, Color? color = null, LinePattern? pattern = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(curve);
        if (!curve.IsDefined) return;
        var scatter = plot.Add.ScatterLine(curve.FalsePositiveRate!, curve.TruePositiveRate!);
        scatter.LegendText = legend;
        scatter.LineWidth = width;
        if (color is { } c) scatter.Color = c;
        if (pattern is { } p) scatter.LinePattern = p;
    }

    /// <summary>One class: the reference's and the candidate's ROC curves, as PNG bytes.</summary>
    public static byte[] Png(string label, RocCurve reference, RocCurve candidate, double? referenceAuc, double? candidateAuc, int size = 360)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var plot = Frame(label);
        AddCurve(plot, reference, $"reference (AUC {Format(referenceAuc)})", 2.5f, Colors.SteelBlue, LinePattern.Solid);
        AddCurve(plot, candidate, $"candidate (AUC {Format(candidateAuc)})", 1.5f, Colors.OrangeRed, LinePattern.Dashed);
        return plot.GetImageBytes(size, size, ImageFormat.Png);
    }

    private static string Format(double? auc) => auc is { } a ? a.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "undefined";
}
