using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Inference.ExecutionProviders;

/// <summary>
/// Creates the inference session on the most preferred execution provider that works, logging why each one before
/// it did not. All remaining providers are registered in preference order on one <see cref="SessionOptions"/>, so the
/// later ones take the nodes an earlier one cannot run ("the order of registration indicates the preference order",
/// https://onnxruntime.ai/docs/execution-providers/); the provider reported is the first one that registered.
/// </summary>
internal static class SessionFactory
{
    public static (InferenceSession Session, string Provider) Create(byte[] model, XrayScorerOptions options, ILogger logger)
    {
        var candidates = options.ExecutionProviders.Select(ExecutionProviderRegistry.Get).ToList();
        var listed = string.Join(", ", candidates.Select(c => c.Name));
        if (!candidates.Exists(c => c.Name == ExecutionProviderRegistry.Cpu))
        {
            candidates.Add(ExecutionProviderRegistry.Get(ExecutionProviderRegistry.Cpu));
            Log.CpuFallbackAppended(logger, listed);
        }

        while (true)
        {
            var resources = new List<IDisposable>();
            try
            {
                using var session = NewSessionOptions(options);
                var registered = new List<ExecutionProvider>();
                foreach (var provider in candidates.ToArray())
                {
                    try
                    {
                        if (provider.Register(session, options) is { } resource) resources.Add(resource);
                        registered.Add(provider);
                    }
                    // Swallow and log: an accelerator that cannot start (library missing, no GPU, no driver) must not
                    // stop the box from scoring on the next provider. CPU registers nothing and cannot fail here.
                    catch (Exception e) when (provider.Name != ExecutionProviderRegistry.Cpu)
                    {
                        Log.ProviderUnavailable(logger, provider.Name, Flatten(e), provider.Remedy);
                        candidates.Remove(provider);
                    }
                }

                var primary = registered[0];
                try
                {
                    var created = new InferenceSession(model, session);
                    Log.ProviderSelected(logger, primary.Name, listed);
                    return (created, primary.Name);
                }
                // Same policy for a provider that registered but cannot build the session (e.g. TensorRT present but
                // CUDA libraries missing). On CPU the error is the model's, so it propagates.
                catch (Exception e) when (primary.Name != ExecutionProviderRegistry.Cpu)
                {
                    Log.ProviderSessionFailed(logger, primary.Name, Flatten(e), primary.Remedy);
                    candidates.Remove(primary);
                }
            }
            finally
            {
                foreach (var r in resources) r.Dispose();
            }
        }
    }

    private static SessionOptions NewSessionOptions(XrayScorerOptions options)
    {
        var session = OrtSessionOptions.Create(options.GraphOptimization switch
        {
            GraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
            GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
            GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
        }, options.IntraOpThreads, options.AllowSpinning);
        session.LogId = "mlrfnet";
        return session;
    }

    /// <summary>One line: the exception's message and those of its inner exceptions (the useful part is often inside).</summary>
    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) parts.Add($"{x.GetType().Name}: {x.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.')}");
        return string.Join(" -> ", parts);
    }
}
