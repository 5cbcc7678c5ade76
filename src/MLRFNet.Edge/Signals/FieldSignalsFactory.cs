using System.Device.Gpio;
using MLRFNet.Edge.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Signals;

/// <summary>
/// GPIO when enabled and the chip is there; otherwise no signals, said once in the log (a box without the LED board
/// must still score). A configured line the chip does not have is an error: that is a wiring or config mistake.
/// </summary>
internal static class FieldSignalsFactory
{
    public static IFieldSignals Create(IOptions<GpioOptions> options, IGpioChipSource chips, ILogger logger)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            Log.GpioDisabled(logger);
            return new NoFieldSignals();
        }
        var available = chips.Chips();
        var chip = GpioChipMatcher.Find(available, o.Chip);
        if (chip is null)
        {
            Log.GpioChipMissing(logger, o.Chip, available.Count == 0 ? "none" : string.Join(", ", available.Select(c => $"{c.Name} ({c.Label})")));
            return new NoFieldSignals();
        }
        var driver = chips.Open(chip);
        var controller = new GpioController(driver);
        foreach (var (name, line) in o.Lines)
        {
            if (line >= chip.NumLines)
            {
                controller.Dispose();
                throw new OptionsValidationException(GpioOptions.Section, typeof(GpioOptions),
                    [$"Gpio:{name}={line} but chip {chip.Name} ({chip.Label}) has lines 0..{chip.NumLines - 1}; use the offset gpioinfo shows for the pin."]);
            }
        }
        Log.GpioEnabled(logger, chip.Name, chip.Label, o.ReadyLine, o.BusyLine, o.FaultLine, o.AlertLine);
        return new GpioFieldSignals(controller, o);
    }
}
