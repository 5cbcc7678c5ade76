namespace MLRFNet.Edge.Signals;

/// <summary>The lights and the alert line a person at the clinic sees.</summary>
public enum FieldSignal
{
    /// <summary>Model loaded, intake running.</summary>
    Ready,

    /// <summary>Scoring a batch.</summary>
    Busy,

    /// <summary>Something needs a person: model run failed, report could not be written, intake paused for disk.</summary>
    Fault,

    /// <summary>The latest study has at least one flagged finding.</summary>
    Alert,
}

/// <summary>Hardware-free seam over the GPIO outputs; <see cref="GpioFieldSignals"/> drives real lines.</summary>
public interface IFieldSignals : IDisposable
{
    void Set(FieldSignal signal, bool on);
}

/// <summary>No outputs: GPIO disabled, or no chip present.</summary>
internal sealed class NoFieldSignals : IFieldSignals
{
    public void Set(FieldSignal signal, bool on) { }

    public void Dispose() { }
}
