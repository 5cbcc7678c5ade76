using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Globalization;

namespace MLRFNet.Edge.Signals;

/// <summary>Where GPIO drivers come from: the real libgpiod chips, or a fake in tests.</summary>
public interface IGpioChipSource
{
    /// <summary>The chips present (empty when there are none or libgpiod is not installed).</summary>
    IReadOnlyList<GpioChipInfo> Chips();

    GpioDriver Open(GpioChipInfo chip);
}

internal sealed class LibGpiodChipSource : IGpioChipSource
{
    public IReadOnlyList<GpioChipInfo> Chips()
    {
        try
        {
            return LibGpiodDriver.GetAvailableChips().ToList();
        }
        catch (Exception e) when (e is DllNotFoundException or PlatformNotSupportedException or IOException or InvalidOperationException or EntryPointNotFoundException)
        {
            // No libgpiod or no /dev/gpiochip*: there is no chip, which the caller reports and runs without signals.
            return [];
        }
    }

    public GpioDriver Open(GpioChipInfo chip) => new LibGpiodDriver(chip);
}

internal static class GpioChipMatcher
{
    /// <summary>Matches a chip by label (<c>tegra234-gpio</c>), name (<c>gpiochip0</c>) or number.</summary>
    public static GpioChipInfo? Find(IReadOnlyList<GpioChipInfo> chips, string wanted)
    {
        foreach (var chip in chips)
            if (string.Equals(chip.Label, wanted, StringComparison.Ordinal)) return chip;
        foreach (var chip in chips)
            if (string.Equals(chip.Name, wanted, StringComparison.Ordinal)) return chip;
        if (int.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            foreach (var chip in chips)
                if (chip.Id == id) return chip;
        return null;
    }
}
