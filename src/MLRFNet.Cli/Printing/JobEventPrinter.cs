using MLRFNet.Onnx.Quantization.Jobs;

namespace MLRFNet.Cli.Printing;

/// <summary>
/// Prints a library job's progress as it happens: progress lines on stdout, warnings and errors on stderr prefixed
/// with the verb (<c>mlrfnet quantize: warning: ...</c>). Synchronous, so lines keep the job's order.
/// </summary>
internal sealed class JobEventPrinter(string verb, TextWriter output, TextWriter error) : IProgress<JobEvent>
{
    public void Report(JobEvent value)
    {
        switch (value.Level)
        {
            case JobEventLevel.Warning:
                error.WriteLine($"mlrfnet {verb}: warning: {value.Message}");
                break;
            case JobEventLevel.Error:
                error.WriteLine($"mlrfnet {verb}: {value.Message}");
                break;
            default:
                output.WriteLine(value.Message);
                break;
        }
    }
}
