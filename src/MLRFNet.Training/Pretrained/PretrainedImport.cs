using MLRFNet.Training.Models;

namespace MLRFNet.Training.Pretrained;

/// <summary>
/// <c>--pretrained FILE</c>: an ONNX ResNet (by extension <c>.onnx</c>) goes through <see cref="OnnxResNetImporter"/>
/// into the backbone; anything else must be a PyTorch zip state_dict. A state_dict whose keys start with
/// <c>backbone.</c> is a whole MLRFNet (e.g. trained in Python) and loads into the whole model; otherwise it is an
/// ImageNet backbone (timm/torchvision keys) and loads into the backbone, skipping <c>fc.*</c>.
/// </summary>
public static class PretrainedImport
{
    public static ImportReport Import(MLRFNetModel model, string path, ImportOptions? options = null)
    {
        options ??= ImportOptions.Strict;
        if (string.Equals(Path.GetExtension(path), ".onnx", StringComparison.OrdinalIgnoreCase))
            return OnnxResNetImporter.Import(model.Backbone, path);

        var source = StateDictImporter.Read(path);
        try
        {
            return source.Keys.Any(k => k.StartsWith("backbone.", StringComparison.Ordinal))
                ? StateDictImporter.Load(model, model.Variant.Name, source, Path.GetFileName(path), options)
                : StateDictImporter.Load(model.Backbone, $"{model.Variant.Name} backbone", source, Path.GetFileName(path), options);
        }
        finally
        {
            foreach (var t in source.Values) t.Dispose();
        }
    }
}
