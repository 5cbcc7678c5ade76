using System.Device.Gpio;
using MLRFNet.Edge.Signals;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// A GpioDriver that records every line's mode and level (dotnet/iot's pattern: GpioController(GpioDriver) with a
/// hardware-free driver in unit tests).
/// </summary>
internal sealed class FakeGpioDriver(int pinCount) : GpioDriver
{
    public readonly Dictionary<int, PinMode> Modes = [];
    public readonly Dictionary<int, PinValue> Levels = [];
    public readonly List<(int Pin, PinValue Value)> Writes = [];
    public bool Disposed;

    protected override int PinCount => pinCount;

    protected override void OpenPin(int pinNumber)
    {
        if (pinNumber >= pinCount) throw new ArgumentOutOfRangeException(nameof(pinNumber));
    }

    protected override void ClosePin(int pinNumber) => Modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => Modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => Modes.TryGetValue(pinNumber, out var m) ? m : PinMode.Input;

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => Levels.TryGetValue(pinNumber, out var v) ? v : PinValue.Low;

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (Writes)
        {
            Levels[pinNumber] = value;
            Writes.Add((pinNumber, value));
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    public PinValue Level(int pin)
    {
        lock (Writes) return Levels.TryGetValue(pin, out var v) ? v : PinValue.Low;
    }
}

internal sealed class FakeGpioChipSource(bool present, int lines = 32) : IGpioChipSource
{
    public FakeGpioDriver? Driver { get; private set; }

    public IReadOnlyList<GpioChipInfo> Chips() =>
        present ? [new GpioChipInfo(0, "gpiochip0", "tegra234-gpio", lines), new GpioChipInfo(1, "gpiochip1", "tegra234-gpio-aon", 32)] : [];

    public GpioDriver Open(GpioChipInfo chip) => Driver = new FakeGpioDriver(chip.NumLines);
}
