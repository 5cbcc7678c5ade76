using MLRFNet.Edge.ClinicConsole;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>The console reads the ledger by column name, follows it as it grows, and never reads half a line.</summary>
public sealed class LedgerReaderTests : IDisposable
{
    private static readonly string sha = new('a', 64);
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Ledger => Path.Combine(temp.Path, "ledger.csv");

    [Fact]
    public void ColumnsAreFoundByNameWhenReorderedOrAdded()
    {
        // An archive-name column added in the middle and the others reordered: the values must still land right.
        File.WriteAllText(Ledger,
            "created_utc,archive_name,input_sha256,input_name,report_json,findings,some_future_column\n" +
            $"2026-03-10T08:00:00.000Z,chest-1.png,{sha},\"chest, 1.png\",chest__1.aaaaaaaaaaaa.json,Effusion 0.900,x\n");
        var line = Assert.Single(new LedgerReader(Ledger).ReadNew());
        Assert.Equal("chest__1.aaaaaaaaaaaa.json", line.ReportJson);
        Assert.Equal("chest, 1.png", line.InputName);
        Assert.Equal("chest-1.png", line.ArchiveName);
        Assert.Equal("2026-03-10T08:00:00.000Z", line.CreatedUtc);
        Assert.Equal("Effusion 0.900", line.Findings);
    }

    [Fact]
    public void OnlyNewCompleteLinesAreReadAndUnsafeNamesAreSkipped()
    {
        var reader = new LedgerReader(Ledger);
        Assert.Empty(reader.ReadNew()); // no ledger yet
        File.WriteAllText(Ledger, $"created_utc,input_name,input_sha256,report_json\n2026-01-01T00:00:00Z,a.png,{sha},a.aaaaaaaaaaaa.json\n");
        Assert.Equal(["a.aaaaaaaaaaaa.json"], reader.ReadNew().Select(l => l.ReportJson));
        // A line still being written (no newline yet) is not read; once finished it is, exactly once.
        File.AppendAllText(Ledger, $"2026-01-01T00:01:00Z,b.png,{sha},b.aaaa");
        Assert.Empty(reader.ReadNew());
        File.AppendAllText(Ledger, "aaaaaaaa.json\n");
        Assert.Equal(["b.aaaaaaaaaaaa.json"], reader.ReadNew().Select(l => l.ReportJson));
        Assert.Empty(reader.ReadNew());
        // Names that could leave the reports folder, or a line cut short by a crash, are skipped.
        File.AppendAllText(Ledger, $"2026-01-01T00:02:00Z,c.png,{sha},../c.json\n2026-01-01T00:03:00Z,d.png,{sha},/etc/d.json\n2026-01-01T00:04:00Z,e.png,{sha},e.aaa\n");
        Assert.Empty(reader.ReadNew());
    }

    [Theory]
    [InlineData("chest.0123456789ab", true)]
    [InlineData("a-b_c.d", true)]
    [InlineData("../x", false)]
    [InlineData("..", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("a%2Fb", false)]
    [InlineData("a\0b", false)]
    [InlineData("", false)]
    public void ReportIdsAreTheServicesOwnNamesOnly(string id, bool valid) => Assert.Equal(valid, ReportIds.IsValid(id));
}

/// <summary>What a review mark may hold: a name, a short note, nothing a spreadsheet would run.</summary>
public sealed class ReviewMarkRulesTests
{
    [Theory]
    [InlineData("Dr. A. Mwangi", "", true)]
    [InlineData("", "", false)]
    [InlineData("   ", "", false)]
    [InlineData("=HYPERLINK(\"http://x\")", "", false)]
    [InlineData("+1", "", false)]
    [InlineData("@sum", "", false)]
    [InlineData("Name\u0007", "", false)]
    public void OnlyAPlainNameIsAccepted(string reviewer, string note, bool ok) =>
        Assert.Equal(ok, Edge.ClinicConsole.ReviewMarks.Problem(reviewer, note) is null);

    [Fact]
    public void OverlongNamesAndNotesAreRefused()
    {
        Assert.NotNull(Edge.ClinicConsole.ReviewMarks.Problem(new string('a', Edge.ClinicConsole.ReviewMarks.MaxReviewerLength + 1), null));
        Assert.NotNull(Edge.ClinicConsole.ReviewMarks.Problem("A", new string('n', Edge.ClinicConsole.ReviewMarks.MaxNoteLength + 1)));
        Assert.Null(Edge.ClinicConsole.ReviewMarks.Problem(new string('a', Edge.ClinicConsole.ReviewMarks.MaxReviewerLength), new string('n', Edge.ClinicConsole.ReviewMarks.MaxNoteLength)));
    }
}
