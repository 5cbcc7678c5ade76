using MLRFNet.Edge.Reports;

namespace MLRFNet.Edge.Tests.Reports;

public sealed class CsvLedgerTests
{
    [Theory]
    [InlineData("plain.png", "plain.png")]
    [InlineData("a,b.png", "\"a,b.png\"")]
    [InlineData("say \"hi\".png", "\"say \"\"hi\"\".png\"")]
    [InlineData("two\nlines.png", "two lines.png")]
    public void EscapesAsRfc4180AndKeepsOneRowPerLine(string field, string escaped)
    {
        Assert.Equal(escaped, CsvLedger.Escape(field));
        Assert.Equal([field.Replace('\n', ' '), "x"], CsvLedger.Split(CsvLedger.Escape(field) + ",x"));
    }

    private static readonly string ShaA = new('a', 64), ShaB = new('b', 64), ShaC = new('c', 64);

    private static string Row(string sha, int columns) =>
        string.Join(',', new[] { "2026-12-06T00:00:00.000Z", "x.png", sha, "x.json", "x.html", "m", "1", "Fp32", "CPU", "0", "" }
            .Concat(new[] { "x.png", "scored" }).Take(columns));

    /// <summary>
    /// Ledgers written by earlier versions (11 columns; 12 with archive_name, appended to an 11-column file too) keep
    /// their rows when outcome is added as column 13; in a ledger started with 13 columns a row torn to 12 is skipped.
    /// Catches a width check that drops old rows (every old study would be reported a second time) or accepts torn ones.
    /// </summary>
    [Fact]
    public void OldLedgerRowsAreReadAndATornNewRowIsNot()
    {
        var folder = Directory.CreateTempSubdirectory("mlrfnet-ledger-");
        try
        {
            var old = Path.Combine(folder.FullName, "old.csv");
            File.WriteAllLines(old, [string.Join(',', CsvLedger.Columns.Take(11)), Row(ShaA, 11), Row(ShaB, 12), Row(ShaC, 13)]);
            Assert.Equal([ShaA, ShaB, ShaC], CsvLedger.Read(old).Select(e => e.InputSha256));
            var twelve = Path.Combine(folder.FullName, "twelve.csv");
            File.WriteAllLines(twelve, [string.Join(',', CsvLedger.Columns.Take(12)), Row(ShaA, 12), Row(ShaB, 13)]);
            Assert.Equal([ShaA, ShaB], CsvLedger.Read(twelve).Select(e => e.InputSha256));
            var fresh = Path.Combine(folder.FullName, "fresh.csv");
            File.WriteAllLines(fresh, [string.Join(',', CsvLedger.Columns), Row(ShaA, 13), Row(ShaB, 12), Row(ShaC, 11)]);
            Assert.Equal([ShaA], CsvLedger.Read(fresh).Select(e => e.InputSha256));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
