using MLRFNet.Edge.Options;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// One owner per archive name. The scoring pipeline archives from two stages at once (a duplicate while preparing, a
/// reported study while finishing), and a study's archive name is chosen before its report is committed (the report
/// records it) but used only after: a name is reserved here until its move is done, so no two inputs can pick the
/// same free name, and the move itself never replaces (renameat2 RENAME_NOREPLACE), so a name taken by anything
/// else is refused and the next free one used.
/// </summary>
internal sealed class ArchiveNames(DurableFile durable, IOptions<EdgeOptions> options)
{
    private readonly string folder = options.Value.ArchiveFolder;
    private readonly Lock gate = new();
    private readonly HashSet<string> reserved = new(StringComparer.Ordinal);

    /// <summary>
    /// Reserves <paramref name="preferred"/> when it is free, else the first free name derived from
    /// <paramref name="originalName"/> (<c>x.png</c>, <c>x-1.png</c>, ...). Pair with <see cref="MoveTo"/> or <see cref="Release"/>.
    /// </summary>
    public string Reserve(string originalName, string? preferred = null)
    {
        lock (gate)
        {
            if (preferred is not null && IsFree(preferred))
            {
                reserved.Add(preferred);
                return preferred;
            }
            for (var attempt = 0; ; attempt++)
            {
                var name = UniqueNames.WithSuffix(originalName, attempt);
                if (!IsFree(name)) continue;
                reserved.Add(name);
                return name;
            }
        }
    }

    /// <summary>
    /// Moves <paramref name="source"/> to the reserved <paramref name="name"/> and releases it; when something outside
    /// the service took that name meanwhile, the next free name is used instead. Returns the archive path.
    /// </summary>
    public string MoveTo(string source, string name, string originalName)
    {
        lock (gate)
        {
            try
            {
                var target = Path.Combine(folder, name);
                if (durable.Ops.TryRenameNoReplace(source, target))
                {
                    durable.Ops.SyncFolder(folder);
                    return target;
                }
                for (var attempt = 1; ; attempt++)
                {
                    var next = UniqueNames.WithSuffix(originalName, attempt);
                    if (!IsFree(next)) continue;
                    target = Path.Combine(folder, next);
                    if (!durable.Ops.TryRenameNoReplace(source, target)) continue;
                    durable.Ops.SyncFolder(folder);
                    return target;
                }
            }
            finally
            {
                reserved.Remove(name);
            }
        }
    }

    public void Release(string name)
    {
        lock (gate) reserved.Remove(name);
    }

    private bool IsFree(string name) => !reserved.Contains(name) && durable.Ops.Inspect(Path.Combine(folder, name)).Kind == EntryKind.Missing;
}
