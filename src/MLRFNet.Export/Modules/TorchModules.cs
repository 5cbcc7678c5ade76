using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Export.Modules;

/// <summary>Child lookup by registered name (the state_dict key segment), with errors that name the module path.</summary>
public static class TorchModules
{
    /// <summary>The child registered as <paramref name="name"/>; throws when it is missing or of another type.</summary>
    public static T Child<T>(nn.Module parent, string name, string path) where T : nn.Module =>
        OptionalChild<T>(parent, name, path)
        ?? throw new NotSupportedException($"Module '{path}' ({parent.GetType().Name}) has no child '{name}'.");

    /// <summary>The child registered as <paramref name="name"/>, or null when there is none (e.g. no downsample).</summary>
    public static T? OptionalChild<T>(nn.Module parent, string name, string path) where T : nn.Module
    {
        foreach (var (childName, child) in parent.named_children())
        {
            if (childName != name) continue;
            return child as T ?? throw new NotSupportedException(
                $"'{ModuleMappingContext.Join(path, name)}' is a {child.GetType().Name}, expected {typeof(T).Name}.");
        }
        return null;
    }

    /// <summary>Children in registration order (for Sequential and ModuleList: "0", "1", ...).</summary>
    public static IReadOnlyList<(string Name, nn.Module Module)> Children(nn.Module parent) =>
        parent.named_children().Select(c => (c.name, c.module)).ToArray();
}
