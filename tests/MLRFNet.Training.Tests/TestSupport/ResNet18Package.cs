using System.Reflection;

namespace MLRFNet.Training.Tests.TestSupport;

/// <summary>
/// Files of NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, restored (not referenced) by this test project;
/// its folder is baked into the test assembly at build time (GeneratePathProperty).
/// </summary>
internal static class ResNet18Package
{
    private static string Root =>
        typeof(ResNet18Package).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ResNet18PackageRoot")?.Value ?? "";

    public static string Require(string relative)
    {
        var path = Path.Combine(Root, relative);
        Skip.IfNot(Root.Length > 0 && File.Exists(path),
            $"{relative} of Microsoft.ML.DnnImageFeaturizer.ResNet18 is not restored (run dotnet restore): ONNX import test skipped.");
        return path;
    }

    public static string Model => Require("tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx");

    public static string Preprocess => Require("tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx");
}
