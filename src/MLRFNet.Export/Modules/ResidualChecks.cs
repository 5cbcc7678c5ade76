namespace MLRFNet.Export.Modules;

/// <summary>Shape checks shared by the residual block specs, so a mis-mapped block fails with the conv's name.</summary>
internal static class ResidualChecks
{
    /// <summary>Each conv takes the channels the previous one produces.</summary>
    public static void Chain(string block, IReadOnlyList<(string Name, Conv2dSpec Conv)> convs)
    {
        for (var i = 1; i < convs.Count; i++)
            if (convs[i].Conv.InChannels != convs[i - 1].Conv.OutChannels)
                throw new ArgumentException(
                    $"{block}: {convs[i].Name} takes {convs[i].Conv.InChannels} channels but {convs[i - 1].Name} produces {convs[i - 1].Conv.OutChannels}.");
    }

    /// <summary>Without a downsample the block must keep its input's shape, or the residual Add cannot broadcast.</summary>
    public static void Residual(string block, int inChannels, int outChannels, int stride, IModuleSpec? downsample)
    {
        if (downsample is null && (stride != 1 || inChannels != outChannels))
            throw new ArgumentException(
                $"{block} without downsample must keep shape (stride 1, {inChannels} channels in and out); " +
                $"it has stride {stride} and {outChannels} output channels.");
    }
}
