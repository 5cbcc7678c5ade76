using TorchSharp;

namespace MLRFNet.Training;

/// <summary>
/// Sets libtorch's intra-op thread count only when it changes: the setting is process-wide and resizing the
/// OpenMP pool while another thread is inside a parallel region can stall both.
/// </summary>
public static class TorchThreads
{
    private static readonly Lock gate = new();

    public static void Set(int threads)
    {
        if (threads <= 0) return;
        lock (gate)
        {
            if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
        }
    }
}
