using System.Drawing;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Imaging.Synthetic;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>
/// The console in a real browser: Debian's chromium, driven by Debian's chromium-driver (same version, from the same
/// source package). A clinician signs in, watches a study arrive without reloading, opens it, marks it reviewed, and
/// the layout stays usable at 1280 px and at 360 px (asserted on the DOM; screenshots kept under
/// artifacts/test-screenshots/console for a person to look at). Only synthetic phantoms are used.
/// </summary>
public sealed class ConsoleBrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static ChromeDriver StartChromium(string profile)
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static byte[] PhantomPng(int index)
    {
        var (pixels, _) = ChestPhantom.Generate(seed: 16, index, size: 512);
        using var image = SixLabors.ImageSharp.Image.LoadPixelData<L8>(pixels, 512, 512);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    /// <summary>Sets the viewport to exactly <paramref name="width"/> CSS pixels (device emulation, as DevTools does).</summary>
    private static void Viewport(ChromeDriver driver, int width, int height, bool mobile)
    {
        driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = mobile,
        });
        Assert.Equal((long)width, (long)driver.ExecuteScript("return window.innerWidth")!);
    }

    private static void AssertNoHorizontalScroll(ChromeDriver driver, string page)
    {
        var scroll = (long)driver.ExecuteScript("return document.documentElement.scrollWidth")!;
        var inner = (long)driver.ExecuteScript("return window.innerWidth")!;
        Assert.True(scroll <= inner, $"{page}: the page is {scroll} px wide in a {inner} px window (horizontal scrolling)");
    }

    private static void AssertInside(ChromeDriver driver, IWebElement element, string what)
    {
        var right = Convert.ToDouble(driver.ExecuteScript("return arguments[0].getBoundingClientRect().right", element));
        var width = Convert.ToDouble(driver.ExecuteScript("return arguments[0].getBoundingClientRect().width", element));
        var inner = (long)driver.ExecuteScript("return window.innerWidth")!;
        Assert.True(element.Displayed && width > 0 && right <= inner + 0.5, $"{what} is not fully on screen: right {right}, width {width}, window {inner}");
    }

    private static void Save(ChromeDriver driver, string name) =>
        driver.GetScreenshot().SaveAsFile(Path.Combine(ConsoleArtifacts.Folder(), name));

    /// <summary>Waits for <paramref name="condition"/>; on a time-out says what the page and the service showed.</summary>
    private static T Until<T>(ChromeDriver driver, ConsoleTestHost host, WebDriverWait wait, Func<IWebDriver, T> condition, string what)
    {
        try { return wait.Until(condition); }
        catch (WebDriverTimeoutException)
        {
            var body = driver.FindElement(By.TagName("body")).Text;
            throw new TimeoutException($"Timed out waiting for {what}. Page {driver.Url}:\n{body}\nService: {host.Edge.Describe()}");
        }
    }

    [SkippableFact]
    public async Task AClinicianSeesAStudyArriveOpensItMarksItReviewedOnAWideAndANarrowScreen()
    {
        Skip.IfNot(File.Exists(Chromium) && File.Exists(ChromeDriver),
            $"Debian's chromium and chromium-driver are not installed ({Chromium}, {ChromeDriver}); apt-get install chromium chromium-driver (tools/test.sh does)");
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token, s => s["Console:PollSeconds"] = "1");
        var profile = Path.Combine(temp.Path, "chromium-profile");
        using var driver = StartChromium(profile);
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60)); // guards against a hang only; every wait is on an event
        Viewport(driver, 1280, 900, mobile: false);

        // Sign in with the token through the login page.
        driver.Navigate().GoToUrl(new Uri(host.BaseAddress, "/"));
        wait.Until(d => d.FindElements(By.Id("token")).Count > 0);
        driver.FindElement(By.Id("token")).SendKeys(ConsoleTestHost.Token);
        driver.FindElement(By.CssSelector("form.login button")).Click();
        Until(driver, host, wait, d => d.FindElements(By.Id("worklist")).Count > 0, "the worklist after signing in");
        Assert.Equal("0", driver.FindElement(By.Id("total")).Text);

        // Studies dropped into the intake appear without a reload: the marker set on this page must survive.
        driver.ExecuteScript("window.__sameDocument = 'yes';");
        for (var i = 1; i <= 3; i++) await File.WriteAllBytesAsync(Path.Combine(host.Edge.Intake, $"phantom-chest-{i}.png"), PhantomPng(i));
        await File.WriteAllTextAsync(Path.Combine(host.Edge.Intake, "scan-notes.png"), "not an X-ray\n");
        // Exactly four rows: a file whose report is committed shows as "waiting" too until it has left work/, and the
        // poll that drops that row re-renders the table (the row elements held below would then be stale).
        Until(driver, host, wait, d => d.FindElements(By.CssSelector("#rows tr[data-id]")).Count == 3 && d.FindElements(By.CssSelector("#rows tr.quarantined")).Count == 1
                && d.FindElements(By.CssSelector("#rows tr")).Count == 4,
            "three scored rows and one quarantined, nothing waiting");
        Assert.Equal("4", driver.FindElement(By.Id("total")).Text);
        Assert.Equal("yes", driver.ExecuteScript("return window.__sameDocument;"));
        var names = driver.FindElements(By.CssSelector("#rows tr .name")).Select(e => e.Text).Order().ToList();
        Assert.Equal(["phantom-chest-1.png", "phantom-chest-2.png", "phantom-chest-3.png", "scan-notes.png"], names);
        Assert.Equal("quarantined", driver.FindElement(By.CssSelector("#rows tr.quarantined .badge")).Text);
        var row = driver.FindElements(By.CssSelector("#rows tr[data-id]")).Single(r => r.FindElement(By.CssSelector(".name")).Text == "phantom-chest-1.png");
        Assert.Equal("scored", row.FindElement(By.CssSelector(".badge")).Text);
        foreach (var thumbnail in driver.FindElements(By.CssSelector("#rows img.thumb")))
            wait.Until(_ => (bool)driver.ExecuteScript("return arguments[0].complete && arguments[0].naturalWidth > 0", thumbnail)!);
        driver.ExecuteScript("document.querySelectorAll('tr.new').forEach(function (tr) { tr.classList.remove('new'); });"); // the arrival highlight, for a steady screenshot

        // Wide screen: a real table with its header, nothing scrolling sideways.
        Assert.True(driver.FindElement(By.CssSelector("#worklist thead")).Displayed);
        AssertNoHorizontalScroll(driver, "worklist at 1280 px");
        AssertInside(driver, row.FindElement(By.CssSelector("a.open-study")), "the Open link at 1280 px");
        Save(driver, "worklist-1280.png");

        // Open the study: the stored report is shown, then mark it reviewed.
        row.FindElement(By.CssSelector("a.open-study")).Click();
        wait.Until(d => d.FindElements(By.Id("study-name")).Count > 0);
        Assert.Equal("phantom-chest-1.png", driver.FindElement(By.Id("study-name")).Text);
        driver.SwitchTo().Frame(driver.FindElement(By.Id("report")));
        wait.Until(d => d.FindElement(By.TagName("body")).Text.Contains("DECISION SUPPORT ONLY", StringComparison.OrdinalIgnoreCase));
        driver.SwitchTo().DefaultContent();
        Assert.Equal("Not reviewed yet.", driver.FindElement(By.Id("review-state")).Text);
        driver.FindElement(By.Id("reviewer")).SendKeys("Nurse Achieng");
        driver.FindElement(By.Id("note")).SendKeys("phantom, test");
        driver.FindElement(By.Id("mark-reviewed")).Click();
        var mark = wait.Until(d => d.FindElements(By.CssSelector("#review-marks .reviewer")).FirstOrDefault());
        Assert.Equal("Nurse Achieng", mark!.Text);
        Assert.Contains("Nurse Achieng", await File.ReadAllTextAsync(Path.Combine(temp.Path, "reviews.csv")));
        AssertNoHorizontalScroll(driver, "study page at 1280 px");
        Save(driver, "study-1280.png");

        // Narrow screen (a phone): rows become cards, nothing scrolls sideways, the Open link and the form fit.
        Viewport(driver, 360, 780, mobile: true);
        driver.Navigate().GoToUrl(new Uri(host.BaseAddress, "/"));
        var card = wait.Until(d => d.FindElements(By.CssSelector("#rows tr[data-id]")).FirstOrDefault(r => r.FindElement(By.CssSelector(".name")).Text == "phantom-chest-1.png"));
        // The page's first poll finds the worklist unchanged (the page carries its rows' ETag) and must leave the table
        // alone: rebuilding it swapped the card for a copy, and a click between find and click hit a detached element.
        wait.Until(d => d.FindElement(By.Id("updated")).Text.Length > 0);
        Assert.True((bool)driver.ExecuteScript("return arguments[0].isConnected;", card)!, "the first poll rebuilt an unchanged worklist");
        AssertNoHorizontalScroll(driver, "worklist at 360 px");
        Assert.Equal("block", card!.GetCssValue("display"));
        Assert.True(Convert.ToDouble(driver.ExecuteScript("return document.querySelector('#worklist thead').getBoundingClientRect().right")) <= 0,
            "the table header is still on screen at 360 px (the cards carry their own labels)");
        AssertInside(driver, card, "the study card at 360 px");
        AssertInside(driver, card.FindElement(By.CssSelector("a.open-study")), "the Open link at 360 px");
        Assert.Equal("Nurse Achieng", card.FindElement(By.CssSelector(".reviewed")).Text);
        Save(driver, "worklist-360.png");
        card.FindElement(By.CssSelector("a.open-study")).Click();
        wait.Until(d => d.FindElements(By.Id("reviewer")).Count > 0);
        AssertNoHorizontalScroll(driver, "study page at 360 px");
        AssertInside(driver, driver.FindElement(By.Id("reviewer")), "the reviewer field at 360 px");
        AssertInside(driver, driver.FindElement(By.Id("mark-reviewed")), "the Mark reviewed button at 360 px");
        Save(driver, "study-360.png");
        driver.Quit();
    }
}
