using System.Device.Gpio;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Tests.Signals;

public sealed class GpioFieldSignalsTests
{
    private static GpioOptions Enabled(string chip = "tegra234-gpio") => new()
    {
        Enabled = true, Chip = chip, ReadyLine = 3, BusyLine = 4, FaultLine = 5, AlertLine = 6,
    };

    [Fact]
    public void LinesAreOutputsStartLowAndFollowTheSignals()
    {
        var chips = new FakeGpioChipSource(present: true);
        using var signals = FieldSignalsFactory.Create(Microsoft.Extensions.Options.Options.Create(Enabled()), chips, NullLogger.Instance);
        var driver = chips.Driver!;
        Assert.All([3, 4, 5, 6], line => Assert.Equal(PinMode.Output, driver.Modes[line]));
        Assert.All([3, 4, 5, 6], line => Assert.Equal(PinValue.Low, driver.Level(line)));
        signals.Set(FieldSignal.Alert, true);
        signals.Set(FieldSignal.Ready, true);
        Assert.Equal(PinValue.High, driver.Level(6));
        Assert.Equal(PinValue.High, driver.Level(3));
        Assert.Equal(PinValue.Low, driver.Level(4));
        signals.Set(FieldSignal.Alert, false);
        Assert.Equal(PinValue.Low, driver.Level(6));
    }

    [Fact]
    public void ActiveLowInvertsAndDisposeTurnsEverythingOff()
    {
        var chips = new FakeGpioChipSource(present: true);
        var options = Enabled();
        options.ActiveLow = true;
        var signals = FieldSignalsFactory.Create(Microsoft.Extensions.Options.Options.Create(options), chips, NullLogger.Instance);
        Assert.Equal(PinValue.High, chips.Driver!.Level(3)); // off = high for a sinking LED
        signals.Set(FieldSignal.Ready, true);
        Assert.Equal(PinValue.Low, chips.Driver.Level(3));
        signals.Dispose();
        Assert.Equal(PinValue.High, chips.Driver.Level(3));
        Assert.True(chips.Driver.Disposed);
    }

    [Theory]
    [InlineData("tegra234-gpio")] // by label (Jetson Orin's main controller)
    [InlineData("gpiochip0")]     // by name
    [InlineData("0")]             // by number
    public void TheChipIsFoundByLabelNameOrNumber(string chip)
    {
        var chips = new FakeGpioChipSource(present: true);
        using var signals = FieldSignalsFactory.Create(Microsoft.Extensions.Options.Options.Create(Enabled(chip)), chips, NullLogger.Instance);
        Assert.IsType<GpioFieldSignals>(signals);
    }

    [Fact]
    public void NoChipOrDisabledMeansNoSignalsNotAFailure()
    {
        Assert.IsType<NoFieldSignals>(FieldSignalsFactory.Create(Microsoft.Extensions.Options.Options.Create(Enabled()), new FakeGpioChipSource(present: false), NullLogger.Instance));
        Assert.IsType<NoFieldSignals>(FieldSignalsFactory.Create(Microsoft.Extensions.Options.Options.Create(new GpioOptions()), new FakeGpioChipSource(present: true), NullLogger.Instance));
        Assert.IsType<NoFieldSignals>(FieldSignalsFactory.Create(Microsoft.Extensions.Options.Options.Create(Enabled("gpiochip7")), new FakeGpioChipSource(present: true), NullLogger.Instance));
    }

    [Fact]
    public void ALineBeyondTheChipIsAConfigurationError()
    {
        var options = Enabled();
        options.AlertLine = 40;
        var e = Assert.Throws<OptionsValidationException>(() =>
            FieldSignalsFactory.Create(Microsoft.Extensions.Options.Options.Create(options), new FakeGpioChipSource(present: true, lines: 32), NullLogger.Instance));
        Assert.Contains("Gpio:AlertLine=40", e.Message);
    }

    [Fact]
    public async Task TheRunningServiceDrivesReadyBusyAndAlert()
    {
        using var temp = new TempFolder();
        var chips = new FakeGpioChipSource(present: true);
        await using var host = EdgeTestHost.Create(temp.Path, s =>
        {
            s["Gpio:Enabled"] = "true";
            s["Gpio:ReadyLine"] = "3"; s["Gpio:BusyLine"] = "4"; s["Gpio:FaultLine"] = "5"; s["Gpio:AlertLine"] = "6";
        }, gpio: chips);
        await host.StartAsync();
        await host.WaitUntilAsync(() => chips.Driver?.Level(3) == PinValue.High, what: "ready LED on");
        // The fake scorer flags Effusion for these phantoms (sigmoid(2 * mean + 1) > 0.5 when the mean is above -0.5).
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "a.png"), SyntheticXrays.Png(1));
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 1);
        var driver = chips.Driver!;
        Assert.Equal(PinValue.High, driver.Level(6));
        // Busy goes off when the batch ends, just after the archive move the wait above saw.
        await host.WaitUntilAsync(() => driver.Level(4) == PinValue.Low, what: "busy LED off after the batch");
        lock (driver.Writes) Assert.Contains((4, PinValue.High), driver.Writes); // ...and was on during it
        await host.StopAsync();
        Assert.Equal(PinValue.Low, driver.Level(3)); // not "ready" once stopped
    }
}
