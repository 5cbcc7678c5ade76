using System.ComponentModel.DataAnnotations;

namespace MLRFNet.Edge.Options;

/// <summary>
/// Field signals on GPIO lines (configuration section <c>Gpio</c>). Line numbers are the chip's own offsets
/// (libgpiod logical numbering, as <c>gpioinfo</c> lists them), not header pin numbers. A negative line leaves
/// that signal off.
/// </summary>
public sealed class GpioOptions
{
    public const string Section = "Gpio";

    /// <summary>Off by default; when on but no chip is present the service logs it and runs without signals.</summary>
    public bool Enabled { get; set; }

    /// <summary>The gpiochip by label (Jetson Orin: <c>tegra234-gpio</c>), name (<c>gpiochip0</c>) or number.</summary>
    [Required(ErrorMessage = "Gpio:Chip is required when set: a label such as tegra234-gpio, a name such as gpiochip0, or a number.")]
    public string Chip { get; set; } = "tegra234-gpio";

    [Range(-1, 1023, ErrorMessage = "Gpio:ReadyLine must be a line offset 0..1023, or -1 for none.")]
    public int ReadyLine { get; set; } = -1;

    [Range(-1, 1023, ErrorMessage = "Gpio:BusyLine must be a line offset 0..1023, or -1 for none.")]
    public int BusyLine { get; set; } = -1;

    [Range(-1, 1023, ErrorMessage = "Gpio:FaultLine must be a line offset 0..1023, or -1 for none.")]
    public int FaultLine { get; set; } = -1;

    /// <summary>Driven high while the most recent study has a flagged finding.</summary>
    [Range(-1, 1023, ErrorMessage = "Gpio:AlertLine must be a line offset 0..1023, or -1 for none.")]
    public int AlertLine { get; set; } = -1;

    /// <summary>Invert every output (for LEDs wired to sink current).</summary>
    public bool ActiveLow { get; set; }

    public IEnumerable<(string Name, int Line)> Lines =>
        [("ReadyLine", ReadyLine), ("BusyLine", BusyLine), ("FaultLine", FaultLine), ("AlertLine", AlertLine)];
}
