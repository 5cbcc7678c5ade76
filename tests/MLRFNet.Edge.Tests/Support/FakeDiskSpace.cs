using MLRFNet.Edge.Intake;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>Free space the test sets: the watermark logic without filling a disk.</summary>
internal sealed class FakeDiskSpace : IDiskSpace
{
    public long Available = 100L << 30;

    public long? AvailableBytes(string folder) => Interlocked.Read(ref Available);
}
