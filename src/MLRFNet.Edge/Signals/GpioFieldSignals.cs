using System.Device.Gpio;
using MLRFNet.Edge.Options;

namespace MLRFNet.Edge.Signals;

/// <summary>
/// Drives the configured lines of one gpiochip through System.Device.Gpio (libgpiod driver; line numbers are the
/// chip's offsets). Lines are opened as outputs, low (off), at start and driven low again on dispose so a stopped
/// service leaves no LED claiming "ready".
/// </summary>
internal sealed class GpioFieldSignals : IFieldSignals
{
    private readonly GpioController controller;
    private readonly Dictionary<FieldSignal, int> lines = [];
    private readonly bool activeLow;
    private readonly Lock gate = new();

    public GpioFieldSignals(GpioController controller, GpioOptions options)
    {
        this.controller = controller;
        activeLow = options.ActiveLow;
        Add(FieldSignal.Ready, options.ReadyLine);
        Add(FieldSignal.Busy, options.BusyLine);
        Add(FieldSignal.Fault, options.FaultLine);
        Add(FieldSignal.Alert, options.AlertLine);
        foreach (var line in lines.Values) controller.OpenPin(line, PinMode.Output, Level(false));
    }

    public void Set(FieldSignal signal, bool on)
    {
        if (!lines.TryGetValue(signal, out var line)) return;
        lock (gate) controller.Write(line, Level(on));
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var line in lines.Values)
            {
                controller.Write(line, Level(false));
                controller.ClosePin(line);
            }
            controller.Dispose();
        }
    }

    private void Add(FieldSignal signal, int line)
    {
        if (line >= 0) lines[signal] = line;
    }

    private PinValue Level(bool on) => on ^ activeLow ? PinValue.High : PinValue.Low;
}
