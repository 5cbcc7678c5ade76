using System.CommandLine;
using MLRFNet.Training.Cost;
using MLRFNet.Training.Models;

namespace MLRFNet.Cli.Commands;

/// <summary><c>mlrfnet info --variant NAME</c>: a variant's structure, preprocessing, parameter count and MACs.</summary>
public static class InfoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var variant = new Option<string>("--variant") { Description = "Model variant (see --list).", DefaultValueFactory = _ => ModelVariants.Default };
        var classes = new Option<int>("--classes") { Description = "Number of output classes.", DefaultValueFactory = _ => 14 };
        var inputSize = new Option<int>("--input-size") { Description = "Square input side for the MACs figure.", DefaultValueFactory = _ => 224 };
        var list = new Option<bool>("--list") { Description = "List the registered variants." };
        var command = new Command("info", "Show a model variant's structure, preprocessing and cost (parameters, multiply-accumulates).")
        {
            variant, classes, inputSize, list,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(list))
            {
                foreach (var name in ModelVariants.Names.Order(StringComparer.Ordinal))
                    output.WriteLine($"{name,-16} {ModelVariants.Get(name).Description}");
                return 0;
            }
            try
            {
                Write(output, ModelVariants.Get(result.GetValue(variant)!), result.GetValue(classes), result.GetValue(inputSize));
                return 0;
            }
            catch (Exception e) when (e is KeyNotFoundException or ArgumentException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Write(TextWriter output, ModelVariant variant, int classes, int inputSize)
    {
        var cost = ModelCost.Measure(variant, classes, inputSize);
        var b = variant.Backbone;
        var p = variant.Preprocessing;
        output.WriteLine($"variant        {variant.Name}: {variant.Description}");
        output.WriteLine($"backbone       {b.Block} depths [{string.Join(", ", b.Depths)}] planes [{string.Join(", ", b.Planes)}] stem {b.StemWidth}" +
            (b.Block == Training.Models.Backbones.ResidualBlockKind.Bottle2neck ? $" base width {b.BaseWidth} scale {b.Scale}" : "") +
            $" (keys as {variant.ReferenceLayout})");
        output.WriteLine($"attention      {(variant.UseEca ? "ECA (k = 3) on the levels the head reads" : "none")}");
        output.WriteLine($"head           {variant.Head.Kind}" + (variant.Head.Lambdas.Count > 0
            ? $" lambdas [{string.Join(", ", variant.Head.Lambdas)}] T = {variant.Head.Temperature}" : ""));
        output.WriteLine($"preprocessing  resize {p.ResizeSize}, crop {p.CropSize}, scale {p.PixelScale:G6}, mean [{string.Join(", ", p.Mean)}], std [{string.Join(", ", p.Std)}]");
        output.WriteLine($"parameters     {cost.Parameters:N0} ({cost.BackboneParameters:N0} backbone) with {classes} classes");
        output.WriteLine($"MACs           {cost.MultiplyAccumulates / 1e9:F3} G at {inputSize}x{inputSize} (conv + linear; paper: 4.29 G for mlrfnet)");
    }
}
